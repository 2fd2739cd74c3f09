package io.quotient.client;

/**
 * The server could not be reached (connection refused, no route, no connection within the connect
 * timeout), or the connection was lost before its answer arrived; after the retries the client's
 * settings allow.
 */
public final class QuotientUnreachableException extends QuotientException {
  private static final long serialVersionUID = 1L;

  QuotientUnreachableException(String message, String idempotencyKey, Throwable cause) {
    super(message, idempotencyKey, cause);
  }
}
