package io.quotient.monitor.analytics;

import io.quotient.plan.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One subject's analytics over a window of days ending today (UTC), per metric of its plan.
 *
 * @param subject the subject
 * @param plan its plan
 * @param from the window's first day
 * @param to the window's last day: today, which is not complete yet
 * @param metrics one entry per metric of the plan, by name
 */
public record SubjectAnalytics(String subject, String plan, LocalDate from, LocalDate to, List<Metric> metrics) {
  public SubjectAnalytics {
    metrics = List.copyOf(metrics);
  }

  /**
   * One metric's series and forecast.
   *
   * @param metric the metric
   * @param limit the plan's limit; null when unlimited
   * @param period the limit's period
   * @param used units used and held in the current window
   * @param remaining units left: the allowance left plus unused grants; null when unlimited
   * @param resetsAt when the current window ends; null for {@code total}
   * @param series one entry per day of the window, oldest first, days without activity as zeros
   * @param average7 units per day over the last 7 complete days (fewer when the history is
   *     shorter); null with no complete day of history
   * @param trend see {@link Trend}
   * @param projected usage expected at the window's end at the average pace ({@code total}: 30
   *     days from now)
   * @param daysUntilLimit whole days until the units left run out at the average pace; 0 when none
   *     are left; null when unlimited, when the pace is zero, or when the window ends first
   * @param dailyBudget the units left divided by the days left in the window (today counted); null
   *     when unlimited or for {@code total}
   * @param enoughData false when the metric has under 7 complete days of history
   */
  public record Metric(
      String metric,
      Long limit,
      Period period,
      long used,
      Long remaining,
      Instant resetsAt,
      List<Day> series,
      Double average7,
      Trend trend,
      long projected,
      Long daysUntilLimit,
      Double dailyBudget,
      boolean enoughData) {
    public Metric {
      series = List.copyOf(series);
    }
  }

  /**
   * One UTC day of one metric.
   *
   * @param day the day
   * @param granted units granted (consumes and committed reservations)
   * @param refunded units given back
   * @param denials denied requests
   * @param fromBonus the part of {@code granted} taken from grants
   * @param overage the part of {@code granted} past a soft limit
   */
  public record Day(LocalDate day, long granted, long refunded, long denials, long fromBonus, long overage) {
    /** Units used that day: granted less refunded. */
    public long net() {
      return granted - refunded;
    }
  }
}
