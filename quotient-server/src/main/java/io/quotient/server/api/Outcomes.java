package io.quotient.server.api;

import io.quotient.api.Headers;
import io.quotient.api.ProblemType;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.decision.Reserved;
import io.quotient.server.problem.ProblemException;
import io.quotient.server.signal.Observations;

/** The engine's consume outcomes that are not decisions, as the problems they stand for. */
final class Outcomes {
  private Outcomes() {}

  /** Reports {@code subject}'s idempotency conflict, if {@code result} is one, to the signals. */
  static void report(Observations observations, String subject, ConsumeResult result) {
    switch (result) {
      case IdempotencyMismatch m -> observations.conflict(subject, 422);
      case IdempotencyInFlight f -> observations.conflict(subject, 409);
      default -> {}
    }
  }

  /** A decision, or the problem an idempotency outcome stands for (naming the header). */
  static Decision decided(ConsumeResult result) {
    return switch (result) {
      case Decision d -> d;
      case IdempotencyMismatch m -> throw mismatch(m, Headers.IDEMPOTENCY_KEY);
      case IdempotencyInFlight f -> throw inFlight(f, Headers.IDEMPOTENCY_KEY);
      case Reserved r -> throw new IllegalStateException("the engine answered with a reservation where none was asked");
    };
  }

  static ProblemException mismatch(IdempotencyMismatch m, String field) {
    return new ProblemException(ProblemType.IDEMPOTENCY_KEY_MISMATCH,
        "idempotency key '" + m.idempotencyKey() + "' was used before with other parameters", field);
  }

  static ProblemException inFlight(IdempotencyInFlight f, String field) {
    return new ProblemException(ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT,
        "a request with idempotency key '" + f.idempotencyKey() + "' is still being decided; retry shortly", field);
  }

  /** The metrics label of a decision: {@code allowed} or the denial reason. */
  static String outcome(Decision decision) {
    return decision.allowed() ? "allowed" : decision.reason().wireName();
  }
}
