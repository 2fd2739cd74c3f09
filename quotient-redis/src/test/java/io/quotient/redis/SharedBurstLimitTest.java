package io.quotient.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.engine.Quotient;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import io.quotient.rate.BurstLimiter;
import io.quotient.rate.BurstLimiter.Claim;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Burst limits shared by three engines on one database through one Redis: the local server
 * ({@link TestRedis}) and a three-node Redis Cluster this test starts. The clock stands still, so
 * buckets never refill and the oracle is exact: each subject gets
 * exactly its burst, whichever engine each request goes through. With per-instance buckets the same
 * load would get three bursts.
 */
class SharedBurstLimitTest {
  private static final long BURST = 40;
  private static final int SUBJECTS = 24;
  private static final int THREADS = 48;
  private static final int ATTEMPTS_PER_THREAD = 2 * (int) BURST * SUBJECTS * 3 / THREADS;

  private static Database database;
  private static RedisCluster cluster;
  private static TestRedis redis;
  private static final MutableClock clock = MutableClock.at("2026-05-04T10:00:00Z");

  @BeforeAll
  static void start() {
    database = TestDatabase.create(16);
    redis = TestRedis.open();
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    redis.close();
    database.close();
  }

  static String localRedis() {
    return redis.url();
  }

  @Test
  void three_engines_on_one_redis_grant_each_subject_exactly_its_burst() throws Exception {
    long[] limiterFallbacks = threeEnginesUnderLoad(localRedis());
    assertThat(limiterFallbacks).containsOnly(0L);
  }

  @Test
  void three_engines_on_a_redis_cluster_grant_each_subject_exactly_its_burst() throws Exception {
    long[] limiterFallbacks = threeEnginesUnderLoad(cluster.url());
    assertThat(limiterFallbacks).containsOnly(0L);
    // The subjects' buckets are spread over the nodes (the hash tag keeps each subject on one).
    assertThat(cluster.keysPerNode()).allMatch(keys -> keys > 0);
  }

  @Test
  void a_request_takes_every_items_tokens_or_none_and_a_check_takes_none() {
    try (RedisBurstLimiter limiter = RedisBurstLimiter.builder(localRedis()).commandTimeout(TestRedis.PATIENT).build()) {
      String subject = "items-" + UUID.randomUUID();
      Instant now = clock.instant();
      Claim a = new Claim(subject, "a", new Rate(1, 2), 1);
      Claim b = new Claim(subject, "b", new Rate(1, 5), 1);
      BurstLimiter.Attempt attempt = limiter.begin();
      assertThat(attempt.acquire(List.of(a, b), now, false)).isEqualTo(-1); // a check
      assertThat(attempt.acquire(List.of(a, b), now, true)).isEqualTo(-1);
      assertThat(attempt.acquire(List.of(a, b), now, true)).isEqualTo(-1);
      assertThat(attempt.acquire(List.of(a, b), now, true)).isEqualTo(0); // a is empty: b keeps its 3
      assertThat(attempt.acquire(List.of(new Claim(subject, "b", new Rate(1, 5), 3)), now, true)).isEqualTo(-1);
      assertThat(attempt.acquire(List.of(b), now, true)).isEqualTo(0);
      attempt.commit(now);
      // A second later a has refilled one token (1 per second).
      assertThat(limiter.begin().acquire(List.of(a), now.plusSeconds(1), false)).isEqualTo(-1);
      assertThat(limiter.fallbackDecisions()).isZero();
    }
  }

  @Test
  void an_abandoned_attempt_gives_its_tokens_back() {
    try (RedisBurstLimiter one = RedisBurstLimiter.builder(localRedis()).commandTimeout(TestRedis.PATIENT).build();
        RedisBurstLimiter other = RedisBurstLimiter.builder(localRedis()).commandTimeout(TestRedis.PATIENT).build()) {
      String subject = "abandon-" + UUID.randomUUID();
      Instant now = clock.instant();
      Claim three = new Claim(subject, "m", new Rate(1, 5), 3);
      BurstLimiter.Attempt rolledBack = one.begin();
      assertThat(rolledBack.acquire(List.of(three), now, true)).isEqualTo(-1);
      // Taken at once: another instance sees only 2 left.
      assertThat(other.begin().acquire(List.of(three), now, false)).isEqualTo(0);
      rolledBack.abandon(now);
      BurstLimiter.Attempt next = other.begin();
      assertThat(next.acquire(List.of(new Claim(subject, "m", new Rate(1, 5), 5)), now, true)).isEqualTo(-1);
      next.commit(now);
    }
  }

  private long[] threeEnginesUnderLoad(String url) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<RedisBurstLimiter> limiters = new ArrayList<>();
    List<Quotient> engines = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RedisBurstLimiter limiter = RedisBurstLimiter.builder(url).commandTimeout(TestRedis.PATIENT).build();
        limiters.add(limiter);
        engines.add(Quotient.builder(database.dataSource()).clock(clock).burstLimiter(limiter).sweepInterval(null).build());
      }
      assertThat(limiters).allMatch(RedisBurstLimiter::shared);
      Plan plan = engines.get(0).putPlan(new Plan("burst_" + run.replace('-', '_'), Map.of(
          "calls", new Limit(1_000_000L, Period.MONTH, Enforcement.HARD, null, new Rate(1, BURST)))));
      List<String> subjects = new ArrayList<>();
      for (int s = 0; s < SUBJECTS; s++) {
        String id = run + "-s" + s;
        subjects.add(id);
        engines.get(0).putSubject(new Subject(id, plan.name(), clock.instant(), Map.of()));
      }

      Map<String, AtomicLong> granted = new ConcurrentHashMap<>();
      subjects.forEach(id -> granted.put(id, new AtomicLong()));
      AtomicLong wrongReasons = new AtomicLong();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
            int n = thread * ATTEMPTS_PER_THREAD + i;
            String subject = subjects.get(n % SUBJECTS);
            Decision decision = (Decision) engines.get(n % 3).consume(ConsumeRequest.of(subject, "calls", 1));
            if (decision.allowed()) {
              granted.get(subject).incrementAndGet();
            } else if (decision.reason() != DenialReason.RATE_LIMITED) {
              wrongReasons.incrementAndGet();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(wrongReasons).hasValue(0);
      for (String subject : subjects) {
        assertThat(granted.get(subject)).as(subject).hasValue(BURST);
        long used = engines.get(1).status(subject).metrics().get(0).used();
        assertThat(used).as("counter of " + subject).isEqualTo(BURST);
      }
      return limiters.stream().mapToLong(RedisBurstLimiter::fallbackDecisions).toArray();
    } finally {
      engines.forEach(Quotient::close);
      limiters.forEach(RedisBurstLimiter::close);
    }
  }
}
