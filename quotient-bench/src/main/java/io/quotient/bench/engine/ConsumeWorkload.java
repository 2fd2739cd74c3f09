package io.quotient.bench.engine;

import io.quotient.bench.Subjects;
import io.quotient.bench.audit.Expectation;
import io.quotient.bench.load.Session;
import io.quotient.bench.load.Workload;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;

/**
 * Single consumes of one unit through {@link Quotient#consume}, on a random spread subject or on
 * one fixed subject. Requests are built once up front: building them is the caller's cost, not
 * the engine's. Thread-safe.
 */
final class ConsumeWorkload implements Workload {
  private final Quotient quotient;
  private final ConsumeRequest[] spread;
  private final ConsumeRequest single;
  private final Expectation expectation;

  private ConsumeWorkload(Quotient quotient, ConsumeRequest[] spread, ConsumeRequest single, Expectation expectation) {
    this.quotient = quotient;
    this.spread = spread;
    this.single = single;
    this.expectation = expectation;
  }

  /** Consumes on the 10,000 spread subjects, uniformly at random. */
  static ConsumeWorkload spread(Quotient quotient, Expectation expectation) {
    ConsumeRequest[] requests = new ConsumeRequest[Subjects.SPREAD];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = ConsumeRequest.of(Subjects.spread(i), Subjects.METRIC, 1);
    }
    return new ConsumeWorkload(quotient, requests, null, expectation);
  }

  /** Consumes on {@code subject} only. */
  static ConsumeWorkload on(Quotient quotient, String subject, Expectation expectation) {
    return new ConsumeWorkload(quotient, null, ConsumeRequest.of(subject, Subjects.METRIC, 1), expectation);
  }

  @Override
  public int decisionsPerCall() {
    return 1;
  }

  @Override
  public Session open(int caller) {
    return this::call;
  }

  private int call() {
    ConsumeRequest request = single != null ? single : spread[Subjects.randomIndex()];
    ConsumeResult result;
    try {
      result = quotient.consume(request);
    } catch (RuntimeException e) {
      expectation.unknown(1);
      throw e;
    }
    if (!(result instanceof Decision decision)) {
      throw new IllegalStateException("a consume without a key answered " + result);
    }
    if (decision.allowed()) {
      expectation.answered(1, 1, 0);
      return 1;
    }
    expectation.answered(0, 1, 1);
    return 0;
  }
}
