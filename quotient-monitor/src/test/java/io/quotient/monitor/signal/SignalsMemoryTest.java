package io.quotient.monitor.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.projection.Projector;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signals projection remembers its own rows ({@link io.quotient.monitor.projection.Remembered}) between consecutive batches, and forgets them when
 * another instance handled a batch in between: two instances take turns on one subject's requests,
 * driven step by step, and the race is seen exactly as one instance would see it.
 */
class SignalsMemoryTest {
  @Test
  void an_instance_that_did_not_handle_the_batch_before_reads_the_marks_again() throws Exception {
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z"); // every request at one instant: all within the race window
    try (Database database = TestDatabase.create(8)) {
      Instances instances = instances(database, clock, "racer");
      Quotient engine = instances.engine();
      Monitor a = instances.a();
      Monitor b = instances.b();
      try {
        // 4 requests handled by a, 4 by b, 4 by a: the 10th within the window is a race (the default).
        requests(engine, 4);
        step(a.projector());
        requests(engine, 4);
        step(b.projector());
        assertThat(races(engine)).as("8 requests are not a race yet").isEmpty();
        requests(engine, 4);
        step(a.projector()); // a still remembers the 4 it saw; the table holds 8
        List<Event> races = races(engine);
        assertThat(races).hasSize(1);
        assertThat(races.get(0).detail()).containsEntry("requests", "10").containsEntry("within", "10 ms");
      } finally {
        engine.close();
      }
    }
  }

  @Test
  void marks_no_later_decision_can_count_are_not_written_and_decide_nothing_differently() throws Exception {
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
    try (Database database = TestDatabase.create(8)) {
      Instances instances = instances(database, clock, "racer", "later");
      Quotient engine = instances.engine();
      Monitor a = instances.a();
      Monitor b = instances.b();
      try {
        requests(engine, "racer", 5);
        clock.advance(java.time.Duration.ofMillis(20)); // past the 10 ms race window
        requests(engine, "later", 1);
        step(a.projector());
        assertThat(markedTargets(database)).as("only marks within the window of the batch's newest decision")
            .containsExactly("later");
        // Another instance, which reads the rows, decides as one that kept the racer's old marks.
        clock.advance(java.time.Duration.ofMillis(1));
        requests(engine, "racer", 9);
        step(b.projector());
        assertThat(races(engine)).as("9 requests within the window").isEmpty();
        requests(engine, "racer", 1);
        step(b.projector());
        assertThat(races(engine)).hasSize(1);
        assertThat(races(engine).get(0).detail()).containsEntry("requests", "10");
      } finally {
        engine.close();
      }
    }
  }

  /** An engine with {@code subjects} on a big plan, and two signal monitors of it (two instances). */
  private record Instances(Quotient engine, Monitor a, Monitor b) {}

  private static Instances instances(Database database, MutableClock clock, String... subjects) {
    Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
    engine.putPlan(new Plan("big", Map.of("ai", Limit.of(1_000_000, Period.MONTH))));
    for (String subject : subjects) {
      engine.putSubject(new Subject(subject, "big", clock.instant(), Map.of()));
    }
    Monitor a = Monitor.builder(engine, database).clock(clock).projection(new Signals(engine, database.dataSource(), clock).projection()).start();
    Monitor b = Monitor.builder(engine, database).clock(clock).projection(new Signals(engine, database.dataSource(), clock).projection()).start();
    // Stop their threads: the tests' steps choose which instance handles which batch.
    a.close();
    b.close();
    return new Instances(engine, a, b);
  }

  private static List<String> markedTargets(Database database) throws java.sql.SQLException {
    List<String> targets = new java.util.ArrayList<>();
    try (java.sql.Connection c = database.dataSource().getConnection();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT target FROM monitor_signal_marks WHERE kind = 'request' ORDER BY target")) {
      while (rs.next()) {
        targets.add(rs.getString(1));
      }
    }
    return targets;
  }

  private static void requests(Quotient engine, int count) {
    requests(engine, "racer", count);
  }

  private static void requests(Quotient engine, String subject, int count) {
    for (int i = 0; i < count; i++) {
      engine.consume(ConsumeRequest.of(subject, "ai", 1)); // one at a time: a transaction each
    }
  }

  private static void step(Projector projector) {
    while (projector.step(Signals.PROJECTION) == Projector.Outcome.HANDLED) {
      // a full step: more follows
    }
  }

  private static List<Event> races(Quotient engine) {
    return engine.events(new EventQuery(null, EventType.ABUSE_DETECTED, FeedCursor.beginning(), 1000)).events().stream()
        .filter(e -> "race".equals(e.detail().get("signal")))
        .toList();
  }
}
