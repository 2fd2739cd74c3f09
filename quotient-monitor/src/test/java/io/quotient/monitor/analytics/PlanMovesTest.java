package io.quotient.monitor.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.PlanPrice;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Subjects that change plan move between the distribution's counts, and a usage no priced plan
 * holds is answered {@code none}.
 */
class PlanMovesTest {

  @Test
  void a_plan_change_moves_the_subject_out_of_a_metrics_distribution_and_no_fitting_plan_is_none() {
    MutableClock clock = MutableClock.at("2026-06-10T09:00:00Z");
    PlanPrice usd = new PlanPrice(BigDecimal.TEN, Currency.getInstance("USD"), PlanPrice.Per.MONTH);
    try (Database database = TestDatabase.create(12);
        Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build()) {
      engine.putPlan(new Plan("small", Map.of("ai", Limit.of(10, Period.MONTH)), usd, null));
      engine.putPlan(new Plan("exports-only", Map.of("exports", Limit.of(10, Period.MONTH)), usd, null));
      try (Monitor monitor = Monitor.builder(engine, database).clock(clock).pollInterval(Duration.ofMillis(20)).start()) {
        for (String id : new String[] {"a", "b", "c"}) {
          engine.putSubject(new Subject(id, "small", clock.instant(), Map.of()));
        }
        engine.consume(ConsumeRequest.of("a", "ai", 10));
        monitor.catchUp(Duration.ofSeconds(30));
        Distribution before = monitor.analytics().distribution("ai");
        assertThat(before.subjects()).isEqualTo(3);
        assertThat(before.bands().get(10).subjects()).isEqualTo(1);
        assertThat(before.bands().get(0).subjects()).isEqualTo(2);

        engine.putSubject(new Subject("b", "exports-only", clock.instant(), Map.of()));
        engine.putSubject(new Subject("c", "small", clock.instant(), Map.of("note", "same plan"))); // no move
        monitor.catchUp(Duration.ofSeconds(30));
        assertThat(monitor.analytics().distribution("ai").subjects()).isEqualTo(2);

        // a is at 10 of 10 with no pace: projected 10, 12 with headroom; no priced plan has 12 ai.
        Recommendation none = monitor.analytics().recommendation("a", null);
        assertThat(none.action()).isEqualTo(Recommendation.Action.NONE);
        assertThat(none.recommendedPlan()).isNull();
        assertThat(none.reasons()).containsExactly(new Recommendation.Reason("ai", 10, 12, 10L, null, false, 0L));
        assertThat(none.urgent()).isTrue();
      }
    }
  }
}
