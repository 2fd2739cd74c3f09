package io.quotient.monitor.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How much one step handles: page after page up to the step's size, a short page another projection
 * read earlier not taken for the end of the feed, and each cadence's linger.
 */
class StepsTest {
  private static Database database;
  private static Quotient engine;

  @BeforeAll
  static void start() throws SQLException {
    database = TestDatabase.create(8);
    engine = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    engine.putPlan(new Plan("steps", Map.of("calls", Limit.of(1_000_000, Period.MONTH))));
    engine.putSubject(new Subject("stepper", "steps", Instant.now(), Map.of()));
    Monitor.migrate(database.dataSource(), database.schema());
  }

  @AfterAll
  static void stop() {
    engine.close();
    database.close();
  }

  /** Consumes {@code n} times, each its own decision and event. */
  private static void consume(int n) {
    List<ConsumeRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requests.add(ConsumeRequest.of("stepper", "calls", 1));
    }
    engine.consumeAll(requests);
  }

  private static Projector projector(int stepEvents) {
    return new Projector(engine, database.dataSource(), Clock.systemUTC(),
        new Projector.Pace(Duration.ofMillis(100), Duration.ZERO, Duration.ZERO, stepEvents), event -> {});
  }

  /** A handler that records the size of each batch. */
  private static Handler sizes(List<Integer> into) {
    return batch -> into.add(batch.events().size());
  }

  @Test
  void a_step_reads_page_after_page_until_it_is_full_and_then_what_is_left() {
    List<Integer> batches = new ArrayList<>();
    try (Projector projector = projector(2_000)) {
      projector.add(new Projection("paged", Projection.Start.NOW, sizes(batches)));
      consume(2_500);
      // Pages hold at most 1,000 events: a step of 2,000 is two full pages in one transaction.
      assertThat(projector.step("paged")).isEqualTo(Projector.Outcome.HANDLED);
      assertThat(projector.step("paged")).isEqualTo(Projector.Outcome.CAUGHT_UP);
      assertThat(projector.step("paged")).isEqualTo(Projector.Outcome.CAUGHT_UP);
      assertThat(batches).containsExactly(2_000, 500);
    }
  }

  @Test
  void a_short_page_another_projection_read_earlier_does_not_end_a_step() throws SQLException {
    List<Integer> early = new ArrayList<>();
    List<Integer> late = new ArrayList<>();
    try (Projector projector = projector(10_000)) {
      projector.add(new Projection("early", Projection.Start.NOW, sizes(early)));
      projector.add(new Projection("late", Projection.Start.NOW, sizes(late)));
      // Each row starts at the horizon of its creation, which the other's creation moved: put them
      // at one cursor, as projections woken by one commit are.
      sameCursor("late", "early");
      consume(300);
      projector.step("early"); // reads the page of 300 after both cursors, and keeps it
      consume(300);
      projector.step("late"); // takes that page, then reads the 300 committed since
      assertThat(early).containsExactly(300);
      assertThat(late).as("the kept page of 300 and the 300 final since, in one step").containsExactly(600);
    }
  }

  private static void sameCursor(String moved, String as) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE monitor_projections SET (cursor_tx, cursor_id) = (SELECT cursor_tx, cursor_id FROM monitor_projections WHERE name = ?) WHERE name = ?")) {
      ps.setString(1, as);
      ps.setString(2, moved);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void a_rollup_projection_lingers_the_rollup_linger_while_a_live_one_lingers_its_own() throws Exception {
    List<Integer> live = new CopyOnWriteArrayList<>();
    List<Integer> rollup = new CopyOnWriteArrayList<>();
    Duration rollupLinger = Duration.ofSeconds(3);
    try (Monitor monitor = Monitor.builder(engine, database).linger(Duration.ZERO).rollupLinger(rollupLinger)
        .pollInterval(Duration.ofMillis(50))
        .projection(new Projection("live", Projection.Start.NOW, Projection.Cadence.LIVE, sizes(live)))
        .projection(new Projection("rollup", Projection.Start.NOW, Projection.Cadence.ROLLUP, sizes(rollup)))
        .start()) {
      int commits = 20;
      long began = System.nanoTime();
      for (int i = 0; i < commits; i++) {
        consume(1);
        Thread.sleep(20);
      }
      Eventually.await("every commit handled", Duration.ofSeconds(30),
          () -> live.stream().mapToInt(Integer::intValue).sum() == commits
              && rollup.stream().mapToInt(Integer::intValue).sum() == commits);
      assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the rollup's second step waited out its linger")
          .isGreaterThanOrEqualTo(rollupLinger);
      // The live projection steps on (nearly) every commit; the rollup one at its first and after its linger.
      assertThat(live).as("live steps").hasSizeGreaterThan(10);
      assertThat(rollup).as("rollup steps").hasSizeLessThanOrEqualTo(2);
    }
  }
}
