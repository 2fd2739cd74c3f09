package io.quotient;

import java.time.Duration;

/**
 * A call waited its bounded time ({@code Quotient.Builder.callTimeout}) without an answer, for
 * example because the database is slow or a row it needs is locked. The outcome is unknown: the
 * request may still be decided and committed after this was thrown. Retry with the same
 * idempotency key: the retry replays the decision if there was one (or is told the first is still
 * in flight), and is decided once otherwise.
 */
public final class CallTimeoutException extends QuotientException {
  private final Duration waited;

  public CallTimeoutException(Duration waited) {
    super("no answer within " + waited.toMillis() + " ms; the outcome is unknown: retry with the same idempotency key", null);
    this.waited = waited;
  }

  /** How long the call waited. */
  public Duration waited() {
    return waited;
  }
}
