package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DefaultPlanTest {
  private static EngineFixture fx;

  @BeforeAll
  static void start() {
    fx = new EngineFixture("starter-default");
    fx.quotient.putPlan(new Plan("starter-default", Map.of("exports", Limit.of(1, Period.MONTH))));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void unknown_subjects_start_on_the_default_plan_even_when_writers_race_to_create_them() {
    for (int round = 0; round < 200; round++) {
      String a = fx.unique("a");
      String b = fx.unique("b");
      List<ConsumeResult> results =
          fx.quotient.consumeAll(
              List.of(
                  ConsumeRequest.of(a, "exports", 1).withIdempotencyKey("k"),
                  ConsumeRequest.of(a, "exports", 1),
                  ConsumeRequest.of(b, "exports", 1)));
      assertThat(((Decision) results.get(0)).allowed()).as("round %d: %s", round, results).isTrue();
      assertThat(((Decision) results.get(1)).reason()).as("round %d: %s", round, results).isEqualTo(DenialReason.QUOTA_EXCEEDED);
      assertThat(((Decision) results.get(2)).allowed()).as("round %d: %s", round, results).isTrue();
    }
  }

  @Test
  void a_subject_created_on_first_use_records_the_creation() {
    String user = fx.unique("new");
    fx.consume(user, "exports", 1);
    assertThat(fx.quotient.subject(user)).get().extracting(s -> s.plan()).isEqualTo("starter-default");
    assertThat(fx.quotient.events(EventQuery.ofSubject(user)).events())
        .extracting(e -> e.type())
        .containsExactly(EventType.SUBJECT_CHANGE, EventType.CONSUME);
  }
}
