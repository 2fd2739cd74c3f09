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
   */
  record Refunded(long eventId, long consumeEventId, String subject, List<RefundedItem> items) implements RefundResult {}

  /**
   * Nothing was given back: the consume was denied, already fully refunded, or the amount asked
   * for is more than is left.
   *
   * @param consumeEventId the consume
   * @param refundable units that can still be refunded
   */
  record NotRefundable(long consumeEventId, long refundable) implements RefundResult {}

  /**
   * One metric of a refund.
   *
   * @param metric the metric
   * @param amount units given back
   * @param used usage of the consume's window after the refund
   */
  record RefundedItem(String metric, long amount, long used) {}
}
