package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events past the retention are deleted in batches; newer events, counters and grants stay. */
class RetentionTest {
  static EngineFixture fx;

  @BeforeAll
  static void start() {
    fx = new EngineFixture(null);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static long count(String sql) throws SQLException {
    try (Connection c = fx.database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void events_older_than_the_retention_go_in_batches_and_everything_else_stays() throws Exception {
    Plan plan = fx.plan(Map.of("calls", Limit.of(100_000, Period.TOTAL)));
    String old = fx.subjectOn(plan);
    List<ConsumeRequest> burst = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      burst.add(ConsumeRequest.of(old, "calls", 1));
    }
    fx.quotient.consumeAll(burst);
    long before = count("SELECT count(*) FROM events");
    fx.clock.advance(Duration.ofDays(399));
    String recent = fx.subjectOn(plan);
    fx.consume(recent, "calls", 1);
    assertThat(fx.quotient.purgeOldEvents()).as("nothing is 400 days old yet").isZero();

    fx.clock.advance(Duration.ofDays(2));
    int purged = fx.quotient.purgeOldEvents();
    assertThat(purged).as("every event of the first day, over three batches").isEqualTo((int) before);
    assertThat(count("SELECT count(*) FROM events WHERE subject = '" + old + "'")).isZero();
    assertThat(count("SELECT count(*) FROM events WHERE subject = '" + recent + "'")).isEqualTo(2);
    assertThat(fx.quotient.status(old).metrics().getFirst().used()).as("counters stay").isEqualTo(2_500);
    assertThat(fx.quotient.purgeOldEvents()).isZero();
  }

  @Test
  void a_sweep_with_nothing_due_reads_the_age_summaries_not_the_new_events() throws Exception {
    fx.quotient.purgeOldEvents();
    analyze();
    // What a search reads before any new event: the pages of ranges purged earlier in this class
    // (their summaries still reach back to the purged events) and the index itself.
    long before = blocksReadByThePurge();
    Plan plan = fx.plan(Map.of("calls", Limit.of(100_000, Period.TOTAL)));
    String subject = fx.subjectOn(plan);
    List<ConsumeRequest> burst = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      burst.add(ConsumeRequest.of(subject, "calls", 1));
    }
    fx.quotient.consumeAll(burst);
    analyze();
    assertThat(blocksReadByThePurge() - before).as("pages never summarized are all read").isGreaterThan(200);

    assertThat(fx.quotient.purgeOldEvents()).isZero();

    // Left: at most the range where the new events meet older ones (32 pages a range).
    assertThat(blocksReadByThePurge() - before).as("after a sweep, their summaries rule them out").isLessThan(40);
  }

  @Test
  void the_sweeper_purges_old_events_once_a_minute() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
    try (Quotient engine = Quotient.builder(fx.database.dataSource()).clock(clock)
        .eventRetention(Duration.ofSeconds(10)).sweepInterval(Duration.ofMillis(20)).build()) {
      Plan plan = engine.putPlan(new Plan(fx.unique("plan"), Map.of("calls", Limit.of(100, Period.TOTAL))));
      String subject = fx.unique("user");
      engine.putSubject(new Subject(subject, plan.name(), clock.instant(), Map.of()));
      engine.consume(ConsumeRequest.of(subject, "calls", 1));
      Thread.sleep(500); // the first sweeps: one purge, nothing due
      clock.advance(Duration.ofSeconds(30));
      Thread.sleep(500); // twenty-five sweeps
      assertThat(events(subject)).as("past the retention, but within the minute since the last purge").isEqualTo(2);

      clock.advance(Duration.ofSeconds(31));
      Eventually.await("the events to go a minute after the last purge", Duration.ofSeconds(10), () -> events(subject) == 0);
    }
  }

  private static long events(String subject) {
    try {
      return count("SELECT count(*) FROM events WHERE subject = '" + subject + "'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Statistics, as autovacuum keeps them, so that the planner searches the age index. */
  private static void analyze() throws SQLException {
    try (Connection c = fx.database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("ANALYZE events");
    }
  }

  /** The buffers the purge's search for events past the retention touches, hit or read. */
  private static long blocksReadByThePurge() throws SQLException {
    try (Connection c = fx.database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT ctid FROM events"
            + " WHERE at < '" + fx.clock.instant().minus(Duration.ofDays(400)) + "'::timestamptz LIMIT 1000")) {
      rs.next();
      String plan = rs.getString(1);
      return field(plan, "Shared Hit Blocks") + field(plan, "Shared Read Blocks");
    }
  }

  /** The first value of a numeric field in EXPLAIN's JSON (the top node's, which counts its children's). */
  private static long field(String plan, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\": (\\d+)").matcher(plan);
    assertThat(m.find()).as(name + " in " + plan).isTrue();
    return Long.parseLong(m.group(1));
  }
}
