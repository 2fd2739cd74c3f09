package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.decision.Reserved;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.reservation.ReserveRequest;
import io.quotient.status.MetricStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request that would take a counter past {@code Long.MAX_VALUE} is denied alone with
 * {@code counter_overflow}; every other request, in the same batches, is decided as usual.
 */
class CounterOverflowTest {
  /** The largest amount every JSON parser keeps exact, less one: 1,024 of them fit in a long, 1,025 do not. */
  private static final long HUGE = (1L << 53) - 1;
  private static final int FITS = (int) (Long.MAX_VALUE / HUGE);

  private static EngineFixture fx;

  @BeforeAll
  static void start() {
    fx = new EngineFixture(null);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static MetricStatus status(String subject, String metric) {
    return fx.quotient.status(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
  }

  /** Runs every call at once behind a latch; returns the answers (an exception fails the test). */
  private static List<ConsumeResult> all(List<java.util.concurrent.Callable<ConsumeResult>> calls) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ConsumeResult>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (var call : calls) {
        futures.add(pool.submit(() -> {
          go.await();
          return call.call();
        }));
      }
      go.countDown();
      List<ConsumeResult> results = new ArrayList<>();
      for (Future<ConsumeResult> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }

  @Test
  void concurrent_consumes_past_a_long_are_denied_alone_and_the_rest_is_exact() throws Exception {
    Plan plan = fx.plan(Map.of("tokens", Limit.unlimited(Period.MONTH), "ai", Limit.of(1000, Period.MONTH)));
    String user = fx.subjectOn(plan);
    List<java.util.concurrent.Callable<ConsumeResult>> calls = new ArrayList<>();
    int huge = 1200;
    int small = 300;
    for (int i = 0; i < huge + small; i++) {
      boolean isSmall = i % 5 == 4; // 300 of 1,500, spread through the batches
      calls.add(!isSmall ? () -> fx.consume(ConsumeRequest.of(user, "tokens", HUGE)) : () -> fx.consume(ConsumeRequest.of(user, "ai", 1)));
    }
    List<ConsumeResult> results = all(calls);

    long grantedTokens = 0;
    int grantedHuge = 0;
    int overflowed = 0;
    int grantedSmall = 0;
    for (ConsumeResult result : results) {
      Decision decision = (Decision) result;
      String metric = decision.items().get(0).metric();
      if (metric.equals("ai")) {
        assertThat(decision.allowed()).as("a small request in the same batches").isTrue();
        grantedSmall++;
      } else if (decision.allowed()) {
        grantedHuge++;
        grantedTokens = Math.addExact(grantedTokens, decision.items().get(0).fromPlan());
      } else {
        assertThat(decision.reason()).isEqualTo(DenialReason.COUNTER_OVERFLOW);
        assertThat(decision.items().get(0).reason()).isEqualTo(DenialReason.COUNTER_OVERFLOW);
        overflowed++;
      }
    }
    assertThat(grantedHuge + overflowed + grantedSmall).isEqualTo(results.size());
    assertThat(grantedHuge).isEqualTo(FITS);
    assertThat(grantedTokens).isEqualTo(FITS * HUGE).isEqualTo(status(user, "tokens").used());
    assertThat(grantedSmall).isEqualTo(status(user, "ai").used());
    // The counter is full, not broken: a request that fits is still granted.
    Decision fits = fx.consume(user, "tokens", Long.MAX_VALUE - FITS * HUGE);
    assertThat(fits.allowed()).isTrue();
    assertThat(status(user, "tokens").used()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void holds_and_overage_past_a_long_are_denied_alone() throws Exception {
    Plan plan = fx.plan(Map.of(
        "held", Limit.unlimited(Period.MONTH),
        "soft", new Limit(0L, Period.MONTH, Enforcement.SOFT, null, null)));
    String user = fx.subjectOn(plan);
    List<java.util.concurrent.Callable<ConsumeResult>> calls = new ArrayList<>();
    for (int i = 0; i < FITS + 20; i++) {
      calls.add(() -> fx.quotient.reserve(new ReserveRequest(ConsumeRequest.of(user, "held", HUGE), Duration.ofHours(1))));
      calls.add(() -> fx.consume(ConsumeRequest.of(user, "soft", HUGE)));
    }
    List<ConsumeResult> results = all(calls);
    int reserved = 0;
    int overage = 0;
    for (ConsumeResult result : results) {
      if (result instanceof Reserved) {
        reserved++;
        continue;
      }
      Decision decision = (Decision) result;
      if (decision.allowed()) {
        assertThat(decision.items().get(0).overage()).isEqualTo(HUGE);
        overage++;
      } else {
        assertThat(decision.reason()).isEqualTo(DenialReason.COUNTER_OVERFLOW);
      }
    }
    assertThat(reserved).isEqualTo(FITS);
    assertThat(overage).isEqualTo(FITS);
    assertThat(status(user, "held").held()).isEqualTo(FITS * HUGE);
    assertThat(status(user, "soft").used()).isEqualTo(FITS * HUGE);
    assertThat(status(user, "soft").overage()).isEqualTo(FITS * HUGE);
  }

  @Test
  void grants_that_add_up_past_a_long_still_serve_and_report_a_full_long() throws Exception {
    Plan plan = fx.plan(Map.of("ai", Limit.of(0, Period.MONTH)));
    String user = fx.subjectOn(plan);
    // 1,025 grants of 2^53 add up to 2^63 + 2^53, past Long.MAX_VALUE even after the 5 units taken
    // below; all but the last are written
    // in one statement to keep the test short, the last through the engine (which marks the
    // subject as having grants and tells every cache).
    try (java.sql.Connection c = fx.database.dataSource().getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(
            "INSERT INTO grants (subject, metric, amount, reason, created_at)"
                + " SELECT ?, 'ai', ?, 'promo', now() FROM generate_series(1, ?)")) {
      ps.setString(1, user);
      ps.setLong(2, 1L << 53);
      ps.setInt(3, FITS);
      ps.executeUpdate();
    }
    fx.quotient.grant(new GrantRequest(user, "ai", 1L << 53, null, "promo"));
    Decision decision = fx.consume(user, "ai", 5);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.items().get(0).fromBonus()).isEqualTo(5);
    assertThat(decision.items().get(0).bonusRemaining()).isEqualTo(Long.MAX_VALUE);
    assertThat(status(user, "ai").bonusRemaining()).isEqualTo(Long.MAX_VALUE);
  }
}
