package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Changes made through one engine reach another engine that cached the subject: plan moves,
 * plan edits and grants arrive by notification, milliseconds after their commit.
 */
class TwoEnginesTest {
  private static Database database;
  private static Quotient here;
  private static Quotient there;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.create(16);
    here = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    there = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    awaitTrue(() -> here.listening() && there.listening());
    here.putPlan(new Plan("small", Map.of("ai", Limit.of(1, Period.MONTH))));
    here.putPlan(new Plan("large", Map.of("ai", Limit.of(100, Period.MONTH))));
  }

  @AfterAll
  static void stop() {
    here.close();
    there.close();
    database.close();
  }

  private static boolean allowedThere(String subject) {
    return ((Decision) there.consume(ConsumeRequest.of(subject, "ai", 1))).allowed();
  }

  @Test
  void a_plan_move_made_by_one_engine_applies_on_the_other() throws Exception {
    here.putSubject(new Subject("mover", "small", Instant.now(), Map.of()));
    assertThat(allowedThere("mover")).isTrue();
    assertThat(allowedThere("mover")).as("cached on the small plan").isFalse();
    here.putSubject(new Subject("mover", "large", Instant.now(), Map.of()));
    awaitTrue(() -> allowedThere("mover"));
  }

  @Test
  void a_plan_edit_and_a_grant_made_by_one_engine_apply_on_the_other() throws Exception {
    here.putPlan(new Plan("edited", Map.of("ai", Limit.of(1, Period.MONTH))));
    here.putSubject(new Subject("edit-me", "edited", Instant.now(), Map.of()));
    here.putSubject(new Subject("gifted", "edited", Instant.now(), Map.of()));
    assertThat(allowedThere("edit-me")).isTrue();
    assertThat(allowedThere("gifted")).isTrue();
    assertThat(allowedThere("gifted")).isFalse();
    here.grant(new GrantRequest("gifted", "ai", 1, null, "sorry"));
    awaitTrue(() -> allowedThere("gifted"));
    assertThat(allowedThere("edit-me")).isFalse();
    here.putPlan(new Plan("edited", Map.of("ai", Limit.of(3, Period.MONTH))));
    awaitTrue(() -> allowedThere("edit-me"));
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within 10 seconds");
      }
      Thread.sleep(10);
    }
  }
}
