package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.reservation.ReserveRequest;
import io.quotient.status.SubjectStatus;
import io.quotient.subject.LimitOverride;
import io.quotient.subject.Subject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code statuses} reads many subjects at once and answers for each exactly what {@code status}
 * answers for it alone: usage in the current windows, bonus from grants, overrides, holds of
 * reservations that expired but were not swept, the default plan for unknown subjects; the
 * subjects {@code status} refuses are left out.
 */
class StatusesTest {
  @Test
  void many_at_once_equal_each_alone() {
    try (EngineFixture fx = new EngineFixture(null)) {
      Plan plan = fx.plan(Map.of("ai", Limit.of(100, Period.MONTH), "projects", Limit.of(3, Period.TOTAL)));
      fx.quotient.putPlan(new Plan("free", Map.of("ai", Limit.of(10, Period.MONTH))));
      String used = fx.subjectOn(plan);
      fx.consume(used, "ai", 7);
      fx.consume(used, "projects", 2);
      String granted = fx.subjectOn(plan);
      fx.consume(granted, "ai", 100);
      fx.quotient.grant(new GrantRequest(granted, "ai", 5, null, "promo"));
      fx.consume(granted, "ai", 2);
      String overridden = fx.unique("user");
      fx.quotient.putSubject(new Subject(overridden, plan.name(), fx.clock.instant(), Map.of("tier", "gold")),
          Map.of("ai", new LimitOverride(500L, null)), "admin");
      fx.consume(overridden, "ai", 150);
      String held = fx.subjectOn(plan);
      fx.quotient.reserve(new ReserveRequest(ConsumeRequest.of(held, "ai", 40), Duration.ofSeconds(30)));
      fx.quotient.reserve(new ReserveRequest(ConsumeRequest.of(held, "ai", 9), Duration.ofMinutes(10)));
      fx.clock.advance(Duration.ofMinutes(1)); // the first hold expired; no sweeper runs here
      String idle = fx.subjectOn(plan);
      List<String> ids = List.of(used, granted, overridden, held, idle, "nobody");

      Map<String, SubjectStatus> alone = new LinkedHashMap<>();
      for (String id : ids.subList(0, 5)) {
        alone.put(id, fx.quotient.status(id));
      }
      assertThat(fx.quotient.statuses(ids)).as("the unknown subject left out").isEqualTo(alone);
      assertThat(alone.get(held).metrics().getFirst().held()).as("the expired hold not counted").isEqualTo(9);
      assertThat(alone.get(granted).metrics().getFirst().bonusRemaining()).isEqualTo(3);
      assertThat(alone.get(overridden).metrics().getFirst().limit()).isEqualTo(500);
    }
  }

  @Test
  void an_unknown_subject_shows_the_default_plan_as_status_does() {
    try (EngineFixture fx = new EngineFixture("starter")) {
      fx.quotient.putPlan(new Plan("starter", Map.of("ai", Limit.of(10, Period.MONTH))));
      Map<String, SubjectStatus> statuses = fx.quotient.statuses(List.of("newcomer"));
      assertThat(statuses).containsOnlyKeys("newcomer");
      assertThat(statuses.get("newcomer")).isEqualTo(fx.quotient.status("newcomer"));
      assertThat(statuses.get("newcomer").subject().plan()).isEqualTo("starter");
    }
  }
}
