package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/subjects/{id}/usage}: a subject's plan and its usage of each metric
 * of the plan in the current window.
 *
 * @param subject the subject
 * @param plan its plan's name
 * @param metrics one per metric of the plan
 */
public record Usage(String subject, String plan, List<Metric> metrics) {

  /**
   * One metric's usage.
   *
   * @param metric the metric
   * @param limit the allowance per window (the subject's override when one applies); null when unlimited
   * @param period {@code month}, {@code billing_month}, {@code day}, {@code hour}, {@code total} or {@code concurrent} (units in flight, held by reservations and always returned)
   * @param enforcement {@code hard} or {@code soft}
   * @param used units counted in the window (overage included)
   * @param held units held by open reservations
   * @param remaining allowance left, never below 0; null when unlimited
   * @param bonusRemaining bonus units left in unexpired grants
   * @param overage units counted past a soft limit in the window
   * @param windowStart the start of the window
   * @param resetsAt the end of the window; null for {@code total}
   * @param percentUsed used (and held) as a percentage of the limit; null when unlimited
   * @param limitSource {@code plan}, or {@code override} when the subject's own limit applies
   */
  public record Metric(
      String metric, Long limit, String period, String enforcement, long used, long held, Long remaining,
      long bonusRemaining, long overage, Instant windowStart, Instant resetsAt, Double percentUsed,
      String limitSource) {}
}
