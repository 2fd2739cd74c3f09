package io.quotient.client;

/**
 * The server could not be reached (connection refused, no route, no connection within the connect
 * timeout), or the connection was lost before its answer arrived; after the retries the client's
 * settings allow; or the client's circuit breaker is open ({@link #circuitOpen()}): the server
 * failed the last attempts, and the call was not sent at all.
 */
public final class QuotientUnreachableException extends QuotientException {
  private static final long serialVersionUID = 1L;

  private final boolean circuitOpen;

  QuotientUnreachableException(String message, String idempotencyKey, Throwable cause) {
    this(message, idempotencyKey, cause, false);
  }

  QuotientUnreachableException(String message, String idempotencyKey, Throwable cause, boolean circuitOpen) {
    super(message, idempotencyKey, cause);
    this.circuitOpen = circuitOpen;
  }

  /** True when the call was not sent because the circuit breaker is open (so it surely was not applied). */
  public boolean circuitOpen() {
    return circuitOpen;
  }
}
