package io.quotient.monitor.analytics;

import io.quotient.plan.Period;
import io.quotient.status.MetricStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of one metric's analytics, with no I/O: series, average, trend, projection,
 * days until the limit and daily budget (the rules are on {@link SubjectAnalytics.Metric} and
 * {@link Trend}).
 */
final class Forecast {
  /** Complete days the average covers, and the least history for {@code enoughData}. */
  static final int AVERAGE_DAYS = 7;
  /** Days ahead a {@code total} metric is projected over (it has no window end). */
  static final int TOTAL_HORIZON_DAYS = 30;
  private static final double TREND_BAND = 0.10;
  private static final double DAY_MILLIS = Duration.ofDays(1).toMillis();

  private Forecast() {}

  /**
   * @param status the metric's usage now
   * @param rows the rollup rows by day (days absent are zeros), covering at least the window and
   *     the 14 days before today
   * @param firstDay the metric's first day of history; null when it has none
   * @param now the clock's instant
   * @param days the window's length, today included
   */
  static SubjectAnalytics.Metric of(
      MetricStatus status, Map<LocalDate, SubjectAnalytics.Day> rows, LocalDate firstDay, Instant now, int days) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<SubjectAnalytics.Day> series = new ArrayList<>(days);
    for (LocalDate d = today.minusDays(days - 1); !d.isAfter(today); d = d.plusDays(1)) {
      series.add(day(rows, d));
    }
    long completeDays = firstDay == null ? 0 : Math.max(0, today.toEpochDay() - firstDay.toEpochDay());
    int recentDays = (int) Math.min(AVERAGE_DAYS, completeDays);
    Double average = recentDays == 0 ? null : sum(rows, today.minusDays(recentDays), today) / (double) recentDays;
    int earlierDays = (int) Math.min(AVERAGE_DAYS, completeDays - recentDays);
    Trend trend = Trend.STABLE;
    if (earlierDays > 0) {
      LocalDate start = today.minusDays(recentDays);
      double earlier = sum(rows, start.minusDays(earlierDays), start) / (double) earlierDays;
      if (average > earlier * (1 + TREND_BAND)) {
        trend = Trend.INCREASING;
      } else if (average < earlier * (1 - TREND_BAND)) {
        trend = Trend.DECREASING;
      }
    }
    long used = Math.addExact(status.used(), status.held());
    Long left = status.remaining() == null ? null : Math.max(0, status.remaining()) + status.bonusRemaining();
    double pace = average == null ? 0 : average;
    Instant end = status.period() == Period.TOTAL || status.resetsAt() == null
        ? now.plus(Duration.ofDays(TOTAL_HORIZON_DAYS)) : status.resetsAt();
    double daysToEnd = Math.max(0, (end.toEpochMilli() - now.toEpochMilli()) / DAY_MILLIS);
    long projected = saturatedAdd(used, (long) Math.ceil(pace * daysToEnd));
    Long daysUntilLimit = null;
    if (left != null) {
      if (left == 0) {
        daysUntilLimit = 0L;
      } else if (pace > 0) {
        double untilLimit = left / pace;
        boolean beforeEnd = status.period() == Period.TOTAL || status.resetsAt() == null || untilLimit < daysToEnd;
        daysUntilLimit = beforeEnd ? (long) Math.floor(untilLimit) : null;
      }
    }
    Double budget = null;
    if (left != null && status.period() != Period.TOTAL && status.resetsAt() != null) {
      long daysLeft = Math.max(1, (long) Math.ceil(daysToEnd));
      budget = round(left / (double) daysLeft);
    }
    return new SubjectAnalytics.Metric(
        status.metric(), status.limit(), status.period(), used, left, status.resetsAt(), series,
        average == null ? null : round(average), trend, projected, daysUntilLimit, budget,
        completeDays >= AVERAGE_DAYS);
  }

  private static SubjectAnalytics.Day day(Map<LocalDate, SubjectAnalytics.Day> rows, LocalDate d) {
    SubjectAnalytics.Day row = rows.get(d);
    return row != null ? row : new SubjectAnalytics.Day(d, 0, 0, 0, 0, 0);
  }

  /** Net units of the days in [from, to). */
  private static long sum(Map<LocalDate, SubjectAnalytics.Day> rows, LocalDate from, LocalDate to) {
    long total = 0;
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      SubjectAnalytics.Day row = rows.get(d);
      if (row != null) {
        total += row.net();
      }
    }
    return total;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /** Two decimals, half-even (so the figures on the wire are stable). */
  static double round(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }
}
