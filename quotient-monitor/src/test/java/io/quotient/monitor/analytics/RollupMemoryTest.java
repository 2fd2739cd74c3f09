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
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analytics projection remembers the band of each latest-usage row between its consecutive
 * batches ({@link io.quotient.monitor.projection.Remembered}) and forgets it when another instance
 * moved the row in between: two instances take turns moving one subject through the bands, and the
 * band counts stay equal to a recount of the rows.
 */
class RollupMemoryTest {
  @Test
  void an_instance_that_did_not_handle_the_batch_before_reads_the_bands_again() throws Exception {
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
    try (Database database = TestDatabase.create(8)) {
      Quotient engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
      engine.putPlan(new Plan("hundred", Map.of("ai", Limit.of(100, Period.MONTH))));
      engine.putSubject(new Subject("mover", "hundred", clock.instant(), Map.of()));
      Monitor a = Monitor.builder(engine, database).clock(clock).start();
      Monitor b = Monitor.builder(engine, database).clock(clock).start();
      // Stop their threads: the steps below choose which instance handles which batch.
      a.close();
      b.close();
      try {
        engine.consume(ConsumeRequest.of("mover", "ai", 15)); // 15%: band 1
        step(a.projector());
        engine.consume(ConsumeRequest.of("mover", "ai", 20)); // 35%: band 3
        step(b.projector());
        engine.consume(ConsumeRequest.of("mover", "ai", 20)); // 55%: band 5, moved from 3 (a last saw it at 1)
        step(a.projector());
        assertThat(bands(database, "SELECT band, subjects FROM monitor_usage_bands WHERE subjects <> 0"))
            .isEqualTo(bands(database, "SELECT floor(percent / 10)::int, count(*) FROM monitor_usage GROUP BY 1"))
            .isEqualTo(Map.of(5, 1L));
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

  private static Map<Integer, Long> bands(Database database, String sql) throws SQLException {
    Map<Integer, Long> bands = new HashMap<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        bands.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return bands;
  }
}
