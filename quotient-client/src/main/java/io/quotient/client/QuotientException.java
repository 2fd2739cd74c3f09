package io.quotient.client;

import java.util.Optional;

/**
 * A call the client could not get an answer to: the one exception family of the client. A denial
 * is not one of these: it is a {@code Decision} with {@code allowed == false}.
 *
 * <ul>
 *   <li>{@link QuotientUnreachableException}: no connection, or the connection was lost before the
 *       answer arrived;
 *   <li>{@link QuotientTimeoutException}: no answer within the request timeout;
 *   <li>{@link QuotientProblemException}: the server answered with a problem (bad input, a role that
 *       does not reach the route, an unknown reservation, …), with its type and field;
 *   <li>{@link QuotientProtocolException}: an answer that is not Quotient's (a proxy's error page,
 *       a body that does not read as the expected record).
 * </ul>
 *
 * <p>When a mutating call fails by losing its answer or timing out, it may have been applied; the
 * client has already retried it as far as its settings allow. Calling again with the same
 * {@link #idempotencyKey()} replays it if it was applied and applies it once if it was not.
 */
public abstract sealed class QuotientException extends RuntimeException
    permits QuotientUnreachableException, QuotientTimeoutException, QuotientProblemException,
        QuotientProtocolException {
  private static final long serialVersionUID = 1L;

  private final String idempotencyKey;

  QuotientException(String message, String idempotencyKey, Throwable cause) {
    super(message, cause);
    this.idempotencyKey = idempotencyKey;
  }

  /** The idempotency key the call was sent with (every attempt used the same); empty for reads. */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }
}
