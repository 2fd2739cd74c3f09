package io.quotient.refund;

import java.util.List;

/** What a refund returns. */
public sealed interface RefundResult {

  /**
   * Units were given back.
   *
   * @param eventId the refund's own event
   * @param consumeEventId the consume it refunded
   * @param subject the subject
   * @param items per metric, how much was given back and the usage after
   * @param replayed true when this is the stored answer to an earlier refund with the same
   *     {@linkplain RefundRequest#requestKey() key} (nothing was given back this time)
   */
  record Refunded(long eventId, long consumeEventId, String subject, List<RefundedItem> items, boolean replayed)
      implements RefundResult {
    public Refunded {
      items = List.copyOf(items);
    }
  }

  /**
   * Nothing was given back: the consume was denied, already fully refunded, or the amount asked
   * for is more than is left. No idempotency key is stored for this answer (nothing changed), so a
   * retry is decided again.
   *
   * @param consumeEventId the consume
   * @param refundable units that can still be refunded
   */
  record NotRefundable(long consumeEventId, long refundable) implements RefundResult {}

  /**
   * The refund's key was used before (for this subject) with other parameters, or for another
   * kind of operation; nothing was given back.
   *
   * @param requestKey the key
   */
  record KeyMismatch(String requestKey) implements RefundResult {}

  /**
   * A refund with the same key is still being decided in this engine; retry shortly.
   *
   * @param requestKey the key
   */
  record KeyInFlight(String requestKey) implements RefundResult {}

  /**
   * One metric of a refund.
   *
   * @param metric the metric
   * @param amount units given back
   * @param used usage of the consume's window after the refund
   */
  record RefundedItem(String metric, long amount, long used) {}
}
