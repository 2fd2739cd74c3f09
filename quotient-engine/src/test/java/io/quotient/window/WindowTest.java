package io.quotient.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.plan.Period;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowTest {
  private static final Instant ANCHOR_FIRST = Instant.parse("2026-01-01T00:00:00Z");

  private static Window of(Period period, String anchor, String now) {
    return Window.of(period, Instant.parse(anchor), Instant.parse(now));
  }

  @Test
  void month_runs_from_the_first_to_the_first_in_utc() {
    Window window = Window.of(Period.MONTH, ANCHOR_FIRST, Instant.parse("2026-03-31T23:59:59.999Z"));
    assertThat(window.start()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(window.end()).isEqualTo("2026-04-01T00:00:00Z");
    assertThat(Window.of(Period.MONTH, ANCHOR_FIRST, Instant.parse("2026-04-01T00:00:00Z")).start())
        .isEqualTo("2026-04-01T00:00:00Z");
  }

  @Test
  void month_of_december_ends_in_the_next_year() {
    Window window = Window.of(Period.MONTH, ANCHOR_FIRST, Instant.parse("2026-12-15T10:00:00Z"));
    assertThat(window.end()).isEqualTo("2027-01-01T00:00:00Z");
  }

  @Test
  void leap_day_belongs_to_february_and_february_of_a_leap_year_has_29_days() {
    Window window = Window.of(Period.MONTH, ANCHOR_FIRST, Instant.parse("2028-02-29T12:00:00Z"));
    assertThat(window.start()).isEqualTo("2028-02-01T00:00:00Z");
    assertThat(window.end()).isEqualTo("2028-03-01T00:00:00Z");
    Window day = Window.of(Period.DAY, ANCHOR_FIRST, Instant.parse("2028-02-29T23:30:00Z"));
    assertThat(day.start()).isEqualTo("2028-02-29T00:00:00Z");
    assertThat(day.end()).isEqualTo("2028-03-01T00:00:00Z");
  }

  @Test
  void billing_month_anchored_on_the_31st_clamps_to_the_last_day_of_short_months() {
    String anchor = "2026-01-31T00:00:00Z";
    Window february = of(Period.BILLING_MONTH, anchor, "2026-02-15T00:00:00Z");
    assertThat(february.start()).isEqualTo("2026-01-31T00:00:00Z");
    assertThat(february.end()).isEqualTo("2026-02-28T00:00:00Z");

    Window march = of(Period.BILLING_MONTH, anchor, "2026-03-01T00:00:00Z");
    assertThat(march.start()).isEqualTo("2026-02-28T00:00:00Z");
    assertThat(march.end()).isEqualTo("2026-03-31T00:00:00Z");

    Window april = of(Period.BILLING_MONTH, anchor, "2026-04-30T12:00:00Z");
    assertThat(april.start()).isEqualTo("2026-04-30T00:00:00Z");
    assertThat(april.end()).isEqualTo("2026-05-31T00:00:00Z");
  }

  @Test
  void billing_month_in_a_leap_february_clamps_to_the_29th() {
    Window window = of(Period.BILLING_MONTH, "2027-12-31T00:00:00Z", "2028-03-10T00:00:00Z");
    assertThat(window.start()).isEqualTo("2028-02-29T00:00:00Z");
    assertThat(window.end()).isEqualTo("2028-03-31T00:00:00Z");
  }

  @Test
  void billing_month_starts_at_the_anchors_time_of_day() {
    String anchor = "2026-01-15T09:30:00Z";
    assertThat(of(Period.BILLING_MONTH, anchor, "2026-03-15T09:29:59Z").start()).isEqualTo("2026-02-15T09:30:00Z");
    assertThat(of(Period.BILLING_MONTH, anchor, "2026-03-15T09:30:00Z").start()).isEqualTo("2026-03-15T09:30:00Z");
  }

  @Test
  void hour_and_day_windows_are_utc_clock_hours_and_days() {
    Window hour = Window.of(Period.HOUR, ANCHOR_FIRST, Instant.parse("2026-05-05T13:59:59Z"));
    assertThat(hour.start()).isEqualTo("2026-05-05T13:00:00Z");
    assertThat(hour.end()).isEqualTo("2026-05-05T14:00:00Z");
    Window day = Window.of(Period.DAY, ANCHOR_FIRST, Instant.parse("2026-05-05T00:00:00Z"));
    assertThat(day.start()).isEqualTo("2026-05-05T00:00:00Z");
    assertThat(day.end()).isEqualTo("2026-05-06T00:00:00Z");
  }

  @Test
  void total_never_ends() {
    Window total = Window.of(Period.TOTAL, ANCHOR_FIRST, Instant.parse("2031-07-07T07:07:07Z"));
    assertThat(total.start()).isEqualTo(Window.TOTAL_START);
    assertThat(total.end()).isNull();
    assertThat(total.isTotal()).isTrue();
  }
}
