package io.quotient.window;

import io.quotient.plan.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * One period instance: usage within it is counted together.
 *
 * @param start first instant of the window (inclusive); {@link #TOTAL_START} for {@code total} and
 *     {@code concurrent}
 * @param end first instant after the window (exclusive); null for {@code total} and {@code concurrent},
 *     which never end
 */
public record Window(Instant start, Instant end) {
  /** The start of the single window of a {@code total} or {@code concurrent} limit. */
  public static final Instant TOTAL_START = Instant.EPOCH;

  /**
   * The window of {@code period} that contains {@code now}. All periods are computed in UTC; a
   * {@code billing_month} starts on the anchor's day of month at the anchor's time of day, and an
   * anchor day past a month's end (the 31st in April) clamps to that month's last day.
   */
  public static Window of(Period period, Instant anchor, Instant now) {
    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    return switch (period) {
      case HOUR -> span(at.truncatedTo(ChronoUnit.HOURS), at.truncatedTo(ChronoUnit.HOURS).plusHours(1));
      case DAY -> span(at.truncatedTo(ChronoUnit.DAYS), at.truncatedTo(ChronoUnit.DAYS).plusDays(1));
      case MONTH -> {
        ZonedDateTime start = at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        yield span(start, start.plusMonths(1));
      }
      case BILLING_MONTH -> billingMonth(anchor.atZone(ZoneOffset.UTC), at);
      case TOTAL, CONCURRENT -> new Window(TOTAL_START, null);
    };
  }

  /** True when the window never ends. */
  public boolean isTotal() {
    return end == null;
  }

  private static Window billingMonth(ZonedDateTime anchor, ZonedDateTime at) {
    int day = anchor.getDayOfMonth();
    LocalTime time = anchor.toLocalTime();
    YearMonth month = YearMonth.from(at);
    ZonedDateTime start = anchoredIn(month, day, time);
    if (start.isAfter(at)) {
      month = month.minusMonths(1);
      start = anchoredIn(month, day, time);
    }
    return span(start, anchoredIn(month.plusMonths(1), day, time));
  }

  private static ZonedDateTime anchoredIn(YearMonth month, int anchorDay, LocalTime time) {
    LocalDate date = month.atDay(Math.min(anchorDay, month.lengthOfMonth()));
    return date.atTime(time).atZone(ZoneOffset.UTC);
  }

  private static Window span(ZonedDateTime start, ZonedDateTime end) {
    return new Window(start.toInstant(), end.toInstant());
  }
}
