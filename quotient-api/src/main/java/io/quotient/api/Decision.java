package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /v1/consume} and {@code POST /v1/check}: granted or denied, with every
 * item's usage after the decision. A denial is an answer (200), not an error.
 *
 * @param allowed true when every item was granted
 * @param reason why it was denied ({@code quota_exceeded}, {@code rate_limited},
 *     {@code metric_not_in_plan}, {@code unknown_subject}, {@code counter_overflow}); null when allowed
 * @param eventId the decision's event; null for a check, which records nothing
 * @param items one per item of the request, in its order
 */
public record Decision(boolean allowed, String reason, String eventId, List<Item> items) {

  /**
   * One item's decision and the usage of its metric after it.
   *
   * @param metric the metric
   * @param amount the amount asked
   * @param limit the plan's allowance per window; null when unlimited or not in the plan
   * @param used units counted in the window (overage included)
   * @param held units held by open reservations
   * @param remaining allowance left, never below 0; null when unlimited or not in the plan
   * @param bonusRemaining bonus units left in unexpired grants
   * @param windowStart the start of the window; null when the metric is not in the plan
   * @param resetsAt the end of the window; null for {@code total} limits and metrics not in the plan
   * @param fromPlan units of this request taken from the plan's allowance
   * @param fromBonus units of this request taken from grants
   * @param overage units of this request past a soft limit
   * @param reason why this item was denied; null when it was not
   */
  public record Item(
      String metric, long amount, Long limit, long used, long held, Long remaining, long bonusRemaining,
      Instant windowStart, Instant resetsAt, long fromPlan, long fromBonus, long overage, String reason) {}
}
