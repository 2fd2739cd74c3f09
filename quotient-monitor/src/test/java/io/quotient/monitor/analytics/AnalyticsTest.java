package io.quotient.monitor.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.PlanPrice;
import io.quotient.refund.RefundRequest;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Analytics on a hand-moved clock: a fixed history is played through the engine, the projection
 * folds it, and every figure is checked against the number worked out by hand in the comments.
 * "Now" is 2026-03-15T12:00Z: today is March 15, the monthly window ends April 1 00:00, 16.5 days
 * away.
 */
class AnalyticsTest {
  private static final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
  private static final String DEPLOYMENT_URL = "https://example.com/upgrade";
  private static Database database;
  private static Quotient engine;
  private static Monitor monitor;
  private static Analytics analytics;

  private static PlanPrice usd(String amount, PlanPrice.Per per) {
    return new PlanPrice(new BigDecimal(amount), Currency.getInstance("USD"), per);
  }

  @BeforeAll
  static void start() {
    database = TestDatabase.create(16);
    engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
    engine.putPlan(new Plan("free", Map.of("ai", Limit.of(100, Period.MONTH)), usd("0", PlanPrice.Per.MONTH), null));
    engine.putPlan(new Plan("starter", Map.of("ai", Limit.of(300, Period.MONTH)), usd("19", PlanPrice.Per.MONTH), null));
    engine.putPlan(new Plan("growth", Map.of("ai", Limit.of(1000, Period.MONTH)), usd("49", PlanPrice.Per.MONTH), null));
    // 180 a year is 15 a month: cheaper than starter, though 180 > 19.
    engine.putPlan(new Plan("annual", Map.of("ai", Limit.of(170, Period.MONTH)), usd("180", PlanPrice.Per.YEAR),
        "https://example.com/annual"));
    // The cheapest of all, but in another currency: never compared with dollars.
    engine.putPlan(new Plan("euro", Map.of("ai", Limit.of(100_000, Period.MONTH)),
        new PlanPrice(BigDecimal.ONE, Currency.getInstance("EUR"), PlanPrice.Per.MONTH), null));
    monitor = Monitor.builder(engine, database).clock(clock).pollInterval(Duration.ofMillis(20)).start();
    analytics = monitor.analytics();

    for (String id : List.of("alice", "dave", "erin", "frank")) {
      engine.putSubject(new Subject(id, "free", clock.instant(), Map.of()));
    }
    engine.putSubject(new Subject("bob", "starter", clock.instant(), Map.of()));
    engine.putSubject(new Subject("carol", "growth", clock.instant(), Map.of()));

    // Alice: 2 a day March 1-7, 5 a day March 8-14 (March 10 as 6 then a refund of 1), a denial on
    // March 14, and 3 today. Used: 14 + 35 + 3 = 52 of 100.
    for (int day = 1; day <= 14; day++) {
      clock.set(String.format("2026-03-%02dT10:00:00Z", day));
      if (day == 10) {
        Decision six = consume("alice", 6);
        engine.refund(RefundRequest.ofEvent(six.eventId()).withAmount(1));
      } else {
        consume("alice", day <= 7 ? 2 : 5);
      }
    }
    clock.set("2026-03-14T10:30:00Z");
    assertThat(consume("alice", 200).allowed()).isFalse();
    // Bob (starter, 300): 10 on March 13, 20 on March 14, 5 today.
    clock.set("2026-03-13T10:00:00Z");
    consume("bob", 10);
    clock.set("2026-03-14T10:00:00Z");
    consume("bob", 20);
    clock.set("2026-03-15T10:00:00Z");
    consume("alice", 3);
    consume("bob", 5);
    consume("carol", 10);
    // At 11:00: three decisions, one denied.
    clock.set("2026-03-15T11:00:00Z");
    consume("dave", 90);
    consume("erin", 85);
    assertThat(consume("dave", 20).allowed()).isFalse();
    clock.set("2026-03-15T12:00:00Z");
    monitor.catchUp(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    monitor.close();
    engine.close();
    database.close();
  }

  private static Decision consume(String subject, long amount) {
    return (Decision) engine.consume(ConsumeRequest.of(subject, "ai", amount));
  }

  @Test
  void a_subjects_series_average_trend_and_forecast_are_the_hand_worked_figures() {
    SubjectAnalytics a = analytics.subject("alice", 30);
    assertThat(a.plan()).isEqualTo("free");
    assertThat(a.from()).isEqualTo(LocalDate.parse("2026-02-14"));
    assertThat(a.to()).isEqualTo(LocalDate.parse("2026-03-15"));
    SubjectAnalytics.Metric ai = a.metrics().get(0);
    assertThat(ai.series()).hasSize(30);
    assertThat(ai.series().get(0)).isEqualTo(new SubjectAnalytics.Day(LocalDate.parse("2026-02-14"), 0, 0, 0, 0, 0));
    assertThat(ai.series()).contains(
        new SubjectAnalytics.Day(LocalDate.parse("2026-03-01"), 2, 0, 0, 0, 0),
        new SubjectAnalytics.Day(LocalDate.parse("2026-03-10"), 6, 1, 0, 0, 0),
        new SubjectAnalytics.Day(LocalDate.parse("2026-03-14"), 5, 0, 1, 0, 0),
        new SubjectAnalytics.Day(LocalDate.parse("2026-03-15"), 3, 0, 0, 0, 0));
    assertThat(ai.used()).isEqualTo(52);
    assertThat(ai.remaining()).isEqualTo(48);
    assertThat(ai.resetsAt()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(ai.average7()).isEqualTo(5.0); // March 8-14: 35 / 7
    assertThat(ai.trend()).isEqualTo(Trend.INCREASING); // 5 a day against 2 a day before
    assertThat(ai.projected()).isEqualTo(135); // 52 + ceil(5 x 16.5)
    assertThat(ai.daysUntilLimit()).isEqualTo(9); // 48 / 5 = 9.6 days, before the reset
    assertThat(ai.dailyBudget()).isEqualTo(2.82); // 48 / 17 days left (today counted)
    assertThat(ai.enoughData()).isTrue();
  }

  @Test
  void a_short_history_is_flagged_its_trend_is_stable_and_a_limit_after_the_reset_has_no_date() {
    SubjectAnalytics.Metric ai = analytics.subject("bob", 7).metrics().get(0);
    assertThat(ai.series()).hasSize(7);
    assertThat(ai.enoughData()).isFalse(); // 2 complete days
    assertThat(ai.average7()).isEqualTo(15.0); // (10 + 20) / 2
    assertThat(ai.trend()).isEqualTo(Trend.STABLE);
    assertThat(ai.projected()).isEqualTo(283); // 35 + ceil(15 x 16.5 = 247.5)
    assertThat(ai.daysUntilLimit()).isNull(); // 265 / 15 = 17.7 days: after the reset
    assertThat(ai.dailyBudget()).isEqualTo(15.59); // 265 / 17

    SubjectAnalytics.Metric none = analytics.subject("frank", 30).metrics().get(0);
    assertThat(none.average7()).isNull();
    assertThat(none.projected()).isZero();
    assertThat(none.daysUntilLimit()).isNull();
    assertThat(none.dailyBudget()).isEqualTo(5.88); // 100 / 17
  }

  @Test
  void the_recommendation_is_the_cheapest_plan_in_the_currency_that_holds_the_projection_with_headroom() {
    Recommendation alice = analytics.recommendation("alice", DEPLOYMENT_URL);
    // 135 x 1.2 = 162: free (100) is short; annual (170, 15 a month) is cheaper than starter (19).
    assertThat(alice.action()).isEqualTo(Recommendation.Action.UPGRADE);
    assertThat(alice.recommendedPlan()).isEqualTo("annual");
    assertThat(alice.upgradeUrl()).isEqualTo("https://example.com/annual");
    assertThat(alice.urgent()).isTrue();
    assertThat(alice.reasons()).containsExactly(new Recommendation.Reason("ai", 135, 162, 100L, 170L, false, 9L));

    Recommendation bob = analytics.recommendation("bob", DEPLOYMENT_URL);
    // 283 x 1.2 = 339.6 -> 340: starter (300) and annual (170) are short; growth holds.
    assertThat(bob.action()).isEqualTo(Recommendation.Action.UPGRADE);
    assertThat(bob.recommendedPlan()).isEqualTo("growth");
    assertThat(bob.recommendedPrice().amount()).isEqualByComparingTo("49");
    assertThat(bob.upgradeUrl()).isEqualTo(DEPLOYMENT_URL);
    assertThat(bob.urgent()).isFalse();
    assertThat(bob.enoughData()).isFalse();

    Recommendation carol = analytics.recommendation("carol", DEPLOYMENT_URL);
    assertThat(carol.action()).isEqualTo(Recommendation.Action.STAY);
    assertThat(carol.recommendedPlan()).isNull();
    assertThat(carol.upgradeUrl()).isNull();
  }

  @Test
  void near_limit_lists_the_highest_shares_first_in_pages() {
    NearLimit.Page first = analytics.nearLimit(80, 0, 1);
    assertThat(first.items()).containsExactly(
        new NearLimit("dave", "ai", 90, 100, 90.0, Instant.parse("2026-04-01T00:00:00Z")));
    assertThat(first.nextOffset()).isEqualTo(1);
    NearLimit.Page second = analytics.nearLimit(80, 1, 1);
    assertThat(second.items()).extracting(NearLimit::subject).containsExactly("erin");
    assertThat(second.nextOffset()).isNull();
    assertThat(analytics.nearLimit(50, 0, 10).items()).extracting(NearLimit::subject).containsExactly("dave", "erin", "alice");
  }

  @Test
  void denials_per_hour_cover_the_window_with_empty_hours_as_zeros() {
    List<HourlyDenials> hours = analytics.denials(24);
    assertThat(hours).hasSize(24);
    assertThat(hours.get(0).hour()).isEqualTo(Instant.parse("2026-03-14T13:00:00Z"));
    assertThat(hours.get(22)).isEqualTo(new HourlyDenials(Instant.parse("2026-03-15T11:00:00Z"), 3, 1, 0.33));
    assertThat(hours.get(21)).isEqualTo(new HourlyDenials(Instant.parse("2026-03-15T10:00:00Z"), 3, 0, 0.0));
    assertThat(hours.get(23)).isEqualTo(new HourlyDenials(Instant.parse("2026-03-15T12:00:00Z"), 0, 0, 0.0));
    // March 14 10:00 and 10:30 are 27 hours back: in a 28-hour window only.
    assertThat(analytics.denials(28).get(0)).isEqualTo(new HourlyDenials(Instant.parse("2026-03-14T09:00:00Z"), 0, 0, 0.0));
    assertThat(analytics.denials(28).get(1)).isEqualTo(new HourlyDenials(Instant.parse("2026-03-14T10:00:00Z"), 3, 1, 0.33));
  }

  @Test
  void the_distribution_counts_every_limited_subject_in_its_band_idle_ones_at_zero() {
    Distribution d = analytics.distribution("ai");
    // carol 1% and frank idle: band 0; bob 35/300 = 11.7%: band 1; alice 52%: band 5; erin 85%: 8; dave 90%: 9.
    assertThat(d.bands()).extracting(Distribution.Band::subjects).containsExactly(2L, 1L, 0L, 0L, 0L, 1L, 0L, 0L, 1L, 1L, 0L);
    assertThat(d.bands().get(10)).isEqualTo(new Distribution.Band(100, null, 0));
    assertThat(d.subjects()).isEqualTo(6);
  }

  @Test
  void top_consumers_are_ordered_by_use() {
    assertThat(analytics.top("ai", 3)).extracting(TopConsumer::subject, TopConsumer::used)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dave", 90L),
            org.assertj.core.groups.Tuple.tuple("erin", 85L),
            org.assertj.core.groups.Tuple.tuple("alice", 52L));
  }

  @Test
  void bad_arguments_name_their_field() {
    assertThatThrownBy(() -> analytics.subject("alice", 0)).isInstanceOf(InvalidArgumentException.class)
        .extracting(e -> ((InvalidArgumentException) e).field()).isEqualTo("days");
    assertThatThrownBy(() -> analytics.denials(0)).isInstanceOf(InvalidArgumentException.class)
        .extracting(e -> ((InvalidArgumentException) e).field()).isEqualTo("hours");
    assertThatThrownBy(() -> analytics.nearLimit(-1, 0, 10)).isInstanceOf(InvalidArgumentException.class)
        .extracting(e -> ((InvalidArgumentException) e).field()).isEqualTo("min");
    assertThatThrownBy(() -> analytics.distribution("Not A Metric")).isInstanceOf(InvalidArgumentException.class)
        .extracting(e -> ((InvalidArgumentException) e).field()).isEqualTo("metric");
  }
}
