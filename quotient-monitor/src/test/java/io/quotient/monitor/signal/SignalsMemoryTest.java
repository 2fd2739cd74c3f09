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
      Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
      engine.putPlan(new Plan("big", Map.of("ai", Limit.of(1_000_000, Period.MONTH))));
      engine.putSubject(new Subject("racer", "big", clock.instant(), Map.of()));
      Monitor a = Monitor.builder(engine, database).clock(clock).projection(new Signals(engine, database.dataSource(), clock).projection()).start();
      Monitor b = Monitor.builder(engine, database).clock(clock).projection(new Signals(engine, database.dataSource(), clock).projection()).start();
      // Stop their threads: the steps below choose which instance handles which batch.
      a.close();
      b.close();
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

  private static void requests(Quotient engine, int count) {
    for (int i = 0; i < count; i++) {
      engine.consume(ConsumeRequest.of("racer", "ai", 1)); // one at a time: a transaction each
    }
  }

  private static void step(Projector projector) {
    while (projector.step(Signals.PROJECTION) == Projector.Outcome.HANDLED) {
      // a full page: more follows
    }
  }

  private static List<Event> races(Quotient engine) {
    return engine.events(new EventQuery(null, EventType.ABUSE_DETECTED, FeedCursor.beginning(), 1000)).events().stream()
        .filter(e -> "race".equals(e.detail().get("signal")))
        .toList();
  }
}
