package io.quotient.server.api;

import io.quotient.api.Headers;
import io.quotient.api.ProblemType;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.decision.Reserved;
import io.quotient.server.problem.ProblemException;

/** The engine's consume outcomes that are not decisions, as the problems they stand for. */
final class Outcomes {
  private Outcomes() {}

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
