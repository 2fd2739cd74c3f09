package io.quotient.monitor.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two engines with a monitor each on one database, 16 threads consuming through both while both
 * projections run: the rollups count every granted unit and every decision exactly once.
 */
class RollupsExactlyOnceTest {

  @Test
  void two_instances_count_every_decision_once() throws Exception {
    MutableClock clock = MutableClock.at("2026-05-20T08:00:00Z");
    try (Database database = TestDatabase.create(24);
        Quotient one = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
        Quotient two = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build()) {
      one.putPlan(new Plan("p", Map.of("ai", Limit.of(3000, Period.MONTH))));
      for (int s = 0; s < 8; s++) {
        one.putSubject(new Subject("s" + s, "p", clock.instant(), Map.of()));
      }
      try (Monitor m1 = Monitor.builder(one, database).clock(clock).pollInterval(Duration.ofMillis(10)).stepEvents(7).start();
          Monitor m2 = Monitor.builder(two, database).clock(clock).pollInterval(Duration.ofMillis(10)).stepEvents(7).start()) {
        AtomicLong granted = new AtomicLong();
        AtomicLong decisions = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          Quotient engine = t % 2 == 0 ? one : two;
          String subject = "s" + (t % 8);
          threads.add(Thread.ofVirtual().start(() -> {
            try {
              go.await();
              for (int i = 0; i < 50; i++) {
                Decision d = (Decision) engine.consume(ConsumeRequest.of(subject, "ai", 1 + i % 3));
                decisions.incrementAndGet();
                if (d.allowed()) {
                  granted.addAndGet(1 + i % 3);
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
        }
        go.countDown();
        for (Thread thread : threads) {
          thread.join();
        }
        m1.catchUp(Duration.ofSeconds(60));
        m2.catchUp(Duration.ofSeconds(60));
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
          try (ResultSet rs = st.executeQuery("SELECT sum(granted), count(*) FROM monitor_daily_usage")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(granted.get());
            assertThat(rs.getLong(2)).isEqualTo(8);
          }
          try (ResultSet rs = st.executeQuery("SELECT sum(decisions) FROM monitor_hourly_decisions")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(decisions.get()).isEqualTo(800);
          }
          try (ResultSet rs = st.executeQuery("SELECT sum(used) FROM monitor_usage")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(granted.get());
          }
          // Each subject's row moved band by band as it grew: it is counted once, in its last band.
          try (ResultSet rs = st.executeQuery("SELECT sum(subjects), count(*) FILTER (WHERE subjects < 0) FROM monitor_usage_bands")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(8);
            assertThat(rs.getLong(2)).isZero();
          }
        }
      }
    }
  }
}
