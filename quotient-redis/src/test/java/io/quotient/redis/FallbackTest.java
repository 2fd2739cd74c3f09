package io.quotient.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.engine.Quotient;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis goes away under an engine and comes back: a redis-server this test starts and stops
 * itself (never the system one). The clock stands still, so buckets never refill and every grant
 * is counted exactly.
 */
class FallbackTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static Database database;
  private static RedisProcess redis;

  @BeforeAll
  static void start() {
    database = TestDatabase.create(8);
    redis = RedisProcess.launch();
  }

  @AfterAll
  static void stop() {
    redis.close();
    database.close();
  }

  @Test
  void an_unreachable_redis_falls_back_to_local_buckets_counts_and_logs_it_and_returns_when_back() throws Exception {
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(RedisBurstLimiter.class);
    logger.addAppender(logs);
    try (RedisBurstLimiter limiter = RedisBurstLimiter.builder(redis.url()).clock(clock)
            .retryInterval(Duration.ofMillis(100)).commandTimeout(Duration.ofMillis(200)).build();
        Quotient q = Quotient.builder(database.dataSource()).clock(clock).burstLimiter(limiter).sweepInterval(null).build()) {
      q.putPlan(new Plan("fallback", Map.of("calls", new Limit(1000L, Period.MONTH, Enforcement.HARD, null, new Rate(1, 5)))));
      q.putSubject(new Subject("u", "fallback", clock.instant(), Map.of()));
      assertThat(limiter.shared()).isTrue();

      // Shared: 3 of the 5 tokens taken in Redis.
      assertThat(grants(q, 3)).isEqualTo(3);

      // Redis stops: the engine decides on its own buckets (full: they never saw the 3), counted.
      redis.stop();
      assertThat(grants(q, 6)).isEqualTo(5);
      assertThat(limiter.shared()).isFalse();
      assertThat(limiter.fallbackDecisions()).isEqualTo(6);
      assertThat(warnings(logs)).isEqualTo(1); // once a minute, not once a request
      clock.advance(Duration.ofSeconds(61)); // refills the local bucket, and a minute has passed
      assertThat(grants(q, 1)).isEqualTo(1);
      assertThat(warnings(logs)).isEqualTo(2);
      assertThat(limiter.fallbackDecisions()).isEqualTo(7);

      // Redis is back (empty: no persistence): shared again, from a full bucket.
      redis.start();
      Eventually.await("the limiter to use Redis again", BOUND, limiter::shared);
      assertThat(grants(q, 6)).isEqualTo(5);
      assertThat(limiter.fallbackDecisions()).isEqualTo(7);
      assertThat(q.status("u").metrics().get(0).used()).isEqualTo(3 + 5 + 1 + 5);
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void a_limiter_started_while_redis_is_down_decides_locally_and_connects_when_it_answers() throws Exception {
    RedisProcess late = RedisProcess.launch();
    late.stop();
    MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");
    try (RedisBurstLimiter limiter = RedisBurstLimiter.builder(late.url()).retryInterval(Duration.ofMillis(100)).build();
        Quotient q = Quotient.builder(database.dataSource()).clock(clock).burstLimiter(limiter).sweepInterval(null).build()) {
      q.putPlan(new Plan("late", Map.of("calls", new Limit(1000L, Period.MONTH, Enforcement.HARD, null, new Rate(1, 2)))));
      q.putSubject(new Subject("late-u", "late", clock.instant(), Map.of()));
      assertThat(limiter.shared()).isFalse();
      assertThat(grants(q, "late-u", 3)).isEqualTo(2);
      late.start();
      Eventually.await("the limiter to connect", BOUND, limiter::shared);
      assertThat(grants(q, "late-u", 3)).isEqualTo(2);
      assertThat(limiter.fallbackDecisions()).isEqualTo(3);
    } finally {
      late.close();
    }
  }

  private static long grants(Quotient q, int attempts) {
    return grants(q, "u", attempts);
  }

  private static long grants(Quotient q, String subject, int attempts) {
    long granted = 0;
    for (int i = 0; i < attempts; i++) {
      Decision decision = (Decision) q.consume(ConsumeRequest.of(subject, "calls", 1));
      if (decision.allowed()) {
        granted++;
      } else {
        assertThat(decision.reason()).isEqualTo(DenialReason.RATE_LIMITED);
      }
    }
    return granted;
  }

  private static long warnings(ListAppender<ILoggingEvent> logs) {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("own burst buckets"))
        .count();
  }
}
