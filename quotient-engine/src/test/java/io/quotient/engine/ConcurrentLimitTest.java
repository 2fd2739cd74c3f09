package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.decision.Item;
import io.quotient.decision.Reserved;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.OveragePrice;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReserveRequest;
import io.quotient.status.MetricStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code concurrent} period: units held while in flight, always returned, never counted. */
class ConcurrentLimitTest {
  private static EngineFixture fx;
  private static Quotient q;

  @BeforeAll
  static void start() {
    fx = new EngineFixture(null);
    q = fx.quotient;
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static MetricStatus status(String subject, String metric) {
    return q.status(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
  }

  private static ConsumeResult reserve(String subject, String metric, long amount) {
    return q.reserve(new ReserveRequest(ConsumeRequest.of(subject, metric, amount), Duration.ofMinutes(5)));
  }

  @Test
  void reservations_past_the_cap_are_denied_and_commit_returns_every_unit_without_counting_it() {
    Plan plan = fx.plan(Map.of("generations", Limit.of(2, Period.CONCURRENT)));
    String user = fx.subjectOn(plan);
    Reserved first = (Reserved) reserve(user, "generations", 1);
    Reserved second = (Reserved) reserve(user, "generations", 1);
    Decision third = (Decision) reserve(user, "generations", 1);
    assertThat(third.allowed()).isFalse();
    assertThat(third.reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
    assertThat(status(user, "generations").held()).isEqualTo(2);
    assertThat(status(user, "generations").remaining()).isZero();

    assertThat(q.commit(first.reservationId(), Map.of())).isInstanceOfSatisfying(ReservationResult.Committed.class,
        c -> assertThat(c.items()).singleElement().satisfies(s -> assertThat(s.committed()).isZero()));
    MetricStatus afterCommit = status(user, "generations");
    assertThat(afterCommit.used()).as("never counted as usage").isZero();
    assertThat(afterCommit.held()).isEqualTo(1);
    assertThat(afterCommit.remaining()).isEqualTo(1);
    assertThat(afterCommit.resetsAt()).isNull();

    assertThat(q.release(second.reservationId())).isInstanceOf(ReservationResult.Released.class);
    // A hundred more generations, one at a time: the cap is on units in flight, not on a total.
    for (int i = 0; i < 100; i++) {
      Reserved next = (Reserved) reserve(user, "generations", 2);
      assertThat(q.commit(next.reservationId(), Map.of("generations", 2L))).isInstanceOf(ReservationResult.Committed.class);
    }
    assertThat(status(user, "generations").used()).isZero();
    assertThat(status(user, "generations").held()).isZero();
  }

  @Test
  void an_expired_reservation_gives_its_units_in_flight_back() {
    Plan plan = fx.plan(Map.of("generations", Limit.of(1, Period.CONCURRENT)));
    String user = fx.subjectOn(plan);
    q.reserve(new ReserveRequest(ConsumeRequest.of(user, "generations", 1), Duration.ofSeconds(30)));
    assertThat(reserve(user, "generations", 1)).isInstanceOf(Decision.class);
    fx.clock.advance(Duration.ofSeconds(31));
    assertThat(reserve(user, "generations", 1)).as("the expired hold returned").isInstanceOf(Reserved.class);
    assertThat(status(user, "generations").used()).isZero();
  }

  @Test
  void a_consume_of_a_concurrent_metric_needs_free_units_and_counts_nothing() {
    Plan plan = fx.plan(Map.of("generations", Limit.of(1, Period.CONCURRENT), "messages", Limit.of(100, Period.MONTH)));
    String user = fx.subjectOn(plan);
    ConsumeRequest both = ConsumeRequest.of(user, new Item("messages", 1), new Item("generations", 1));
    for (int i = 0; i < 3; i++) {
      assertThat(((Decision) fx.consume(both)).allowed()).isTrue();
    }
    assertThat(status(user, "generations").used()).isZero();
    assertThat(status(user, "messages").used()).isEqualTo(3);

    Reserved running = (Reserved) reserve(user, "generations", 1);
    Decision refused = (Decision) fx.consume(both);
    assertThat(refused.allowed()).as("all or nothing: the slot is taken").isFalse();
    assertThat(status(user, "messages").used()).isEqualTo(3);
    q.release(running.reservationId());
    assertThat(((Decision) fx.consume(both)).allowed()).isTrue();
  }

  @Test
  void a_concurrent_limit_is_hard_and_has_no_overage_price() {
    assertThatThrownBy(() -> Limit.of(2, Period.CONCURRENT).withEnforcement(Enforcement.SOFT))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("enforcement"));
    assertThatThrownBy(() -> Limit.of(2, Period.CONCURRENT)
            .withOveragePrice(new OveragePrice(BigDecimal.ONE, Currency.getInstance("USD"))))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("overagePrice"));
    assertThat(Period.fromWireName("concurrent")).isEqualTo(Period.CONCURRENT);
  }

  /**
   * 32 threads reserve one unit each, hold it for a moment and settle it, over and over, against a
   * cap of 2. The oracle counts units in flight as callers see them: a thread adds one after its
   * reservation is granted and takes it away before it settles, so the count is at most what the
   * engine holds at any instant; it must never pass the cap.
   */
  @Test
  void never_more_in_flight_than_the_cap_under_32_threads() throws Exception {
    long cap = 2;
    Plan plan = fx.plan(Map.of("generations", Limit.of(cap, Period.CONCURRENT)));
    String user = fx.subjectOn(plan);
    int threads = 32;
    int attemptsPerThread = 40;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicLong granted = new AtomicLong();
    AtomicLong denied = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < attemptsPerThread; i++) {
            ConsumeResult result = reserve(user, "generations", 1);
            if (!(result instanceof Reserved reserved)) {
              assertThat(((Decision) result).reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
              denied.incrementAndGet();
              continue;
            }
            granted.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Thread.sleep(2); // the work in flight
            inFlight.decrementAndGet();
            ReservationResult settled = (thread + i) % 2 == 0
                ? q.commit(reserved.reservationId(), Map.of())
                : q.release(reserved.reservationId());
            assertThat(settled).isNotInstanceOf(ReservationResult.Closed.class);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(granted.get() + denied.get()).isEqualTo((long) threads * attemptsPerThread);
    assertThat(maxInFlight.get()).as("never more in flight than the cap, and the cap reached").isEqualTo((int) cap);
    assertThat(denied.get()).as("the cap was contended").isPositive();
    assertThat(granted.get()).as("units came back to be granted again").isGreaterThan(cap);
    MetricStatus after = status(user, "generations");
    assertThat(after.held()).as("every unit returned").isZero();
    assertThat(after.used()).as("never counted as usage").isZero();
    // The ledger agrees with the callers: every granted reservation is settled, none still held.
    try (var c = fx.database.dataSource().getConnection();
        var ps = c.prepareStatement("SELECT state, count(*) FROM reservations WHERE subject = ? GROUP BY state")) {
      ps.setString(1, user);
      Map<String, Long> byState = new java.util.HashMap<>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          byState.put(rs.getString(1), rs.getLong(2));
        }
      }
      assertThat(byState.getOrDefault("held", 0L)).isZero();
      assertThat(byState.getOrDefault("committed", 0L) + byState.getOrDefault("released", 0L)).isEqualTo(granted.get());
    }
  }
}
