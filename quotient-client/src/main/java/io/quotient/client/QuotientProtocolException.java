package io.quotient.client;

/**
 * An answer that is not Quotient's API: an error status without a problem body (a proxy's error
 * page, say), or a body that does not read as the record the call answers. Usually a wrong URL or
 * something between the client and the server.
 */
public final class QuotientProtocolException extends QuotientException {
  private static final long serialVersionUID = 1L;

  private final int status;

  QuotientProtocolException(String message, int status, String idempotencyKey, Throwable cause) {
    super(message, idempotencyKey, cause);
    this.status = status;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }
}
