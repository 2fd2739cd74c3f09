package io.quotient.monitor.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.Monitor;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two engines and two monitors on one database, hammered from many threads: each episode is
 * announced exactly once, and every hit is counted once.
 */
class SignalsTwoInstancesTest {
  private static final MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
  private static Database database;
  private static final List<Quotient> engines = new ArrayList<>();
  private static final List<Signals> signals = new ArrayList<>();
  private static final List<Monitor> monitors = new ArrayList<>();

  @BeforeAll
  static void start() {
    database = TestDatabase.create(32);
    for (int i = 0; i < 2; i++) {
      Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
      if (i == 0) {
        engine.putPlan(new Plan("one", Map.of("ai", Limit.of(1, Period.MONTH))));
      }
      Signals s = new Signals(engine, database.dataSource(), clock);
      engines.add(engine);
      signals.add(s);
      monitors.add(Monitor.builder(engine, database).clock(clock).pollInterval(Duration.ofMillis(10)).projection(s.projection()).start());
    }
  }

  @AfterAll
  static void stop() {
    monitors.forEach(Monitor::close);
    engines.forEach(Quotient::close);
    database.close();
  }

  /** The signal events of the feed, by subject and then signal name. */
  private static Map<String, Map<String, Integer>> announced() {
    monitors.forEach(m -> m.catchUp(Duration.ofSeconds(60)));
    Map<String, Map<String, Integer>> out = new HashMap<>();
    FeedCursor cursor = FeedCursor.beginning();
    while (true) {
      var page = engines.get(0).events(new EventQuery(null, EventType.ABUSE_DETECTED, cursor, 1000));
      for (Event e : page.events()) {
        String who = e.subject() != null ? e.subject() : e.detail().get("target");
        out.computeIfAbsent(who, k -> new HashMap<>()).merge(e.detail().get("signal"), 1, Integer::sum);
      }
      if (page.events().size() < 1000) {
        return out;
      }
      cursor = page.nextCursor();
    }
  }

  @Test
  void concurrent_denials_on_two_engines_make_one_burst_per_subject() throws Exception {
    int subjects = 20;
    for (int s = 0; s < subjects; s++) {
      engines.get(0).putSubject(new Subject("d-" + s, "one", clock.instant(), Map.of()));
      engines.get(0).consume(ConsumeRequest.of("d-" + s, "ai", 1));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Quotient engine = engines.get(t % 2);
        work.add(pool.submit(() -> {
          for (int s = 0; s < subjects; s++) {
            engine.consume(ConsumeRequest.of("d-" + s, "ai", 1)); // denied: sixteen denials per subject at one instant
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    Map<String, Map<String, Integer>> found = announced();
    for (int s = 0; s < subjects; s++) {
      assertThat(found.get("d-" + s)).as("d-" + s).containsEntry("denial_burst", 1);
    }
  }

  @Test
  void concurrent_conflicts_and_refusals_reported_to_two_instances_count_every_hit_once() throws Exception {
    int reports = 60;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < reports; i++) {
        Signals s = signals.get(i % 2);
        work.add(pool.submit(() -> {
          s.conflict("c-1", 409);
          s.credentialFailure(null, "192.0.2.7", null, 401);
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    Map<String, Map<String, Integer>> found = announced();
    assertThat(found.get("c-1")).isEqualTo(Map.of("race", 1));
    assertThat(found.get("address:192.0.2.7")).isEqualTo(Map.of("credential_abuse", 1));
    // At one instant every report is within the window: from the threshold's on, each one is a hit.
    Risk risk = signals.get(0).risk("c-1");
    assertThat(risk.signals()).singleElement().satisfies(p -> assertThat(p.episode().hits()).isEqualTo(reports - 2));
    long addressHits = hits("address:192.0.2.7");
    assertThat(addressHits).isEqualTo(reports - 9);
  }

  private static long hits(String target) throws Exception {
    try (var c = database.dataSource().getConnection();
        var ps = c.prepareStatement("SELECT hits FROM monitor_signal_episodes WHERE target = ?")) {
      ps.setString(1, target);
      try (var rs = ps.executeQuery()) {
        rs.next();
        long hits = rs.getLong(1);
        assertThat(rs.next()).as("one episode").isFalse();
        return hits;
      }
    }
  }
}
