package io.quotient.refund;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.decision.ConsumeRequest;

/**
 * A refund of an earlier consume, named either by its event id or by the subject and the
 * idempotency key the consume was made with; optionally with an idempotency key of its own.
 *
 * @param eventId the consume's event id, or null
 * @param scope the caller asking for the refund (the credential), recorded as the refund event's
 *     actor; idempotency keys are scoped to the subject, not to it
 * @param subject the subject, with {@code idempotencyKey}
 * @param idempotencyKey the idempotency key of the CONSUME being refunded (how it is named), or null
 * @param amount how much to give back; null for everything not yet refunded. Only for a
 *     single-item consume.
 * @param requestKey this refund's own idempotency key (HTTP: the {@code Idempotency-Key} header),
 *     or null: a retry with the same key and parameters replays the first refund instead of giving
 *     units back again; with other parameters it is {@link RefundResult.KeyMismatch}. Scoped to
 *     the consume's subject, in the same space as consume keys.
 */
public record RefundRequest(Long eventId, String scope, String subject, String idempotencyKey, Long amount, String requestKey) {
  public RefundRequest {
    InvalidArgumentException.require(
        (eventId != null) != (idempotencyKey != null),
        "eventId",
        "give either eventId or subject and idempotencyKey");
    if (eventId != null) {
      InvalidArgumentException.require(eventId > 0, "eventId", "must be a consume event id");
    } else {
      Names.requireId(subject, "subject");
      Names.requireId(idempotencyKey, "idempotencyKey");
    }
    if (amount != null) {
      Names.requireAmount(amount, "amount");
    }
    if (requestKey != null) {
      Names.requireId(requestKey, "requestKey");
    }
    scope = scope == null ? ConsumeRequest.DEFAULT_SCOPE : scope;
  }

  /** Refund everything left of the consume recorded as {@code eventId}. */
  public static RefundRequest ofEvent(long eventId) {
    return new RefundRequest(eventId, null, null, null, null, null);
  }

  /** Refund everything left of the consume made with {@code idempotencyKey}. */
  public static RefundRequest ofIdempotencyKey(String subject, String idempotencyKey) {
    return new RefundRequest(null, null, subject, idempotencyKey, null, null);
  }

  /** The same refund, of {@code value} units only. */
  public RefundRequest withAmount(long value) {
    return new RefundRequest(eventId, scope, subject, idempotencyKey, value, requestKey);
  }

  /** The same refund, asked for by another caller. */
  public RefundRequest withScope(String value) {
    return new RefundRequest(eventId, value, subject, idempotencyKey, amount, requestKey);
  }

  /** The same refund with an idempotency key of its own, so that retrying it is safe. */
  public RefundRequest withRequestKey(String value) {
    return new RefundRequest(eventId, scope, subject, idempotencyKey, amount, value);
  }
}
