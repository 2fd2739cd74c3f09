package io.quotient.monitor.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.engine.Quotient;
import io.quotient.monitor.FeedInversion;
import io.quotient.monitor.Monitor;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The latest usage is the newest decision's, also when the feed shows an older decision after it. */
class FeedOrderTest {
  @Test
  void a_decision_that_comes_after_a_newer_one_in_the_feed_leaves_the_latest_usage_as_it_is() throws Exception {
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
    try (Database database = TestDatabase.create(8)) {
      Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
      engine.putPlan(FeedInversion.PLAN);
      engine.putSubject(new Subject("gil", FeedInversion.PLAN.name(), clock.instant(), Map.of()));
      Monitor monitor = Monitor.builder(engine, database).clock(clock).start();
      try {
        FeedInversion.decide(engine, database, clock, "gil");
        monitor.catchUp(Duration.ofSeconds(30));
        assertThat(monitor.analytics().top("ai", 10))
            .extracting(TopConsumer::subject, TopConsumer::used, TopConsumer::percent)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("gil", 10L, 100.0));
        // Counted once, in the 100 % band: the older decision's 80 % did not move it.
        assertThat(monitor.analytics().distribution("ai").bands())
            .filteredOn(band -> band.subjects() > 0)
            .extracting(Distribution.Band::from, Distribution.Band::subjects)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(100, 1L));
      } finally {
        monitor.close();
        engine.close();
      }
    }
  }
}
