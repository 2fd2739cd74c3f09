package io.quotient.client;

/**
 * The server took the request but gave no answer within the request timeout, on every attempt the
 * client's settings allow. The call may have been applied (see {@link QuotientException}).
 */
public final class QuotientTimeoutException extends QuotientException {
  private static final long serialVersionUID = 1L;

  QuotientTimeoutException(String message, String idempotencyKey, Throwable cause) {
    super(message, idempotencyKey, cause);
  }
}
