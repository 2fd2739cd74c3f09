package io.quotient.monitor.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.projection.Projector;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analytics rollups are updated in place (HOT updates: no index entry written) while a
 * subject's band and bit length of use stay the same: subjects consume step after step, and
 * PostgreSQL's own statistics count the updates of monitor_usage and monitor_daily_usage that were
 * HOT. With monitor_usage indexed on percent and used, as before V32, none of its updates was.
 */
class RollupsInPlaceTest {
  private static final int SUBJECTS = 200;
  private static final int STEPS = 6;

  @Test
  void most_rollup_updates_write_no_index_entry() throws Exception {
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
    try (Database database = TestDatabase.create(8)) {
      Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
      engine.putPlan(new Plan("large", Map.of("ai", Limit.of(1_000_000, Period.MONTH))));
      Monitor monitor = Monitor.builder(engine, database).clock(clock).start();
      monitor.close(); // its threads stop: this test steps the projection itself
      try {
        List<ConsumeRequest> first = new ArrayList<>();
        List<ConsumeRequest> next = new ArrayList<>();
        for (int i = 0; i < SUBJECTS; i++) {
          engine.putSubject(new Subject("s" + i, "large", clock.instant(), Map.of()));
          first.add(ConsumeRequest.of("s" + i, "ai", 1_000)); // 1,000 to 1,005: bit length 10 throughout
          next.add(ConsumeRequest.of("s" + i, "ai", 1));
        }
        engine.consumeAll(first);
        step(monitor.projector());
        for (int s = 1; s < STEPS; s++) {
          engine.consumeAll(next);
          step(monitor.projector());
        }
        long updates = (long) SUBJECTS * (STEPS - 1);
        // The statistics reach the shared view when the projection's connection idles (up to 10 s).
        Eventually.await("the statistics of every update", Duration.ofSeconds(30),
            () -> updated(database, "monitor_usage")[0] >= updates && updated(database, "monitor_daily_usage")[0] >= updates);
        for (String table : List.of("monitor_usage", "monitor_daily_usage")) {
          long[] counts = updated(database, table);
          assertThat(counts[1]).as("HOT updates of %s (of %d)", table, counts[0]).isGreaterThanOrEqualTo(counts[0] * 9 / 10);
        }
      } finally {
        engine.close();
      }
    }
  }

  private static void step(Projector projector) {
    while (projector.step(Analytics.PROJECTION) == Projector.Outcome.HANDLED) {
      // a full step: more follows
    }
  }

  /** {updates, HOT updates} of {@code table} so far. */
  private static long[] updated(Database database, String table) {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
            + " WHERE relid = '" + table + "'::regclass")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
