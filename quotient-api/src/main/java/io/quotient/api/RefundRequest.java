package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /v1/refunds}: which consume to give back, named by its event id or by the
 * subject and idempotency key it was made with, and how much.
 *
 * @param eventId the consume's event id; null when naming it by subject and idempotency key
 * @param subject the consume's subject; with {@code idempotencyKey}
 * @param idempotencyKey the consume's idempotency key; with {@code subject}
 * @param amount units to give back (across its items); null gives back everything left
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RefundRequest(String eventId, String subject, String idempotencyKey, Long amount) {

  /** Refunds the consume recorded as event {@code eventId}; {@code amount} null for everything left. */
  public static RefundRequest ofEvent(String eventId, Long amount) {
    return new RefundRequest(eventId, null, null, amount);
  }

  /** Refunds the consume {@code subject} made with {@code idempotencyKey}. */
  public static RefundRequest ofKey(String subject, String idempotencyKey, Long amount) {
    return new RefundRequest(null, subject, idempotencyKey, amount);
  }
}
