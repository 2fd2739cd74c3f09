package io.quotient.status;

import io.quotient.plan.Enforcement;
import io.quotient.plan.Period;
import java.time.Instant;

/**
 * One metric of a subject's plan, as of now.
 *
 * @param metric the metric
 * @param limit the allowance (the subject's override when one applies, else the plan's); null when unlimited
 * @param period the limit's period
 * @param enforcement hard or soft
 * @param used units counted in the current window (overage included)
 * @param held units held by open reservations
 * @param remaining allowance left, never below 0; null when unlimited
 * @param bonusRemaining bonus units left in unexpired grants
 * @param overage units counted past a soft limit in this window
 * @param windowStart start of the current window
 * @param resetsAt end of the current window; null for {@code total}
 * @param limitSource {@code plan}, or {@code override} when the subject's own limit applies
 */
public record MetricStatus(
    String metric,
    Long limit,
    Period period,
    Enforcement enforcement,
    long used,
    long held,
    Long remaining,
    long bonusRemaining,
    long overage,
    Instant windowStart,
    Instant resetsAt,
    String limitSource) {

  /** Used and held units as a percentage of the limit; null when unlimited, 100 for a 0 limit. */
  public Double percentUsed() {
    if (limit == null) {
      return null;
    }
    if (limit == 0) {
      return 100.0;
    }
    return 100.0 * (used + held) / limit;
  }
}
