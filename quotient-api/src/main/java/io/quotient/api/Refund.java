package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code POST /v1/refunds}.
 *
 * @param eventId the refund's event
 * @param consumeEventId the event of the consume refunded
 * @param subject the consume's subject
 * @param items per metric, the units given back and the usage after
 */
public record Refund(String eventId, String consumeEventId, String subject, List<Item> items) {

  /**
   * One metric given back.
   *
   * @param metric the metric
   * @param amount units given back
   * @param used units counted in the consume's window after the refund
   */
  public record Item(String metric, long amount, long used) {}
}
