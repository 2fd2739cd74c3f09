package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/subjects/{id}/analytics}: per metric of the subject's plan, the
 * daily series of a window of days ending today (UTC) and the forecast from it.
 *
 * @param subject the subject
 * @param plan its plan
 * @param from the window's first day ({@code 2026-03-01})
 * @param to the window's last day: today, not complete yet
 * @param metrics one per metric of the plan
 */
public record SubjectAnalytics(String subject, String plan, String from, String to, List<Metric> metrics) {

  /**
   * One metric.
   *
   * @param metric the metric
   * @param limit the plan's limit; null when unlimited
   * @param period the limit's period
   * @param used units used and held in the current window
   * @param remaining units left (allowance left plus unused grants); null when unlimited
   * @param resetsAt when the window ends; null for {@code total}
   * @param series one per day of the window, oldest first
   * @param average7 units per day over the last 7 complete days (fewer with a shorter history);
   *     null with no complete day
   * @param trend {@code increasing}, {@code decreasing} or {@code stable}: the last 7 complete days'
   *     average against the 7 before, 10% either way
   * @param projected usage expected at the window's end at that average ({@code total}: in 30 days)
   * @param daysUntilLimit whole days until the units left run out at that average; null when
   *     unlimited, idle, or not before the window ends
   * @param dailyBudget units left ÷ days left in the window, today counted; null when unlimited or
   *     for {@code total}
   * @param enoughData false under 7 complete days of history
   */
  public record Metric(
      String metric, Long limit, String period, long used, Long remaining, Instant resetsAt, List<Day> series,
      Double average7, String trend, long projected, Long daysUntilLimit, Double dailyBudget, boolean enoughData) {}

  /**
   * One UTC day.
   *
   * @param day the day ({@code 2026-03-01})
   * @param granted units granted (consumes and committed reservations)
   * @param refunded units given back
   * @param denials denied requests
   * @param fromBonus the part of {@code granted} from grants
   * @param overage the part of {@code granted} past a soft limit
   */
  public record Day(String day, long granted, long refunded, long denials, long fromBonus, long overage) {}
}
