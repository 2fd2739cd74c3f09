package io.quotient.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.decision.Item;
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
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch's scripts are sent ahead, all together, as if every request were granted; requests that
 * are then denied for quota must not keep tokens, and a request after them must be decided as if
 * they had taken none. The requests are made to land in one batch: the writer is held on a locked
 * row while they queue. The clock stands still, so tokens count exactly.
 */
class PrefetchTest {
  private static final long BOUND_SECONDS = 20;
  private static Database database;
  private static TestRedis redis;
  private static RedisBurstLimiter limiter;
  private static Quotient q;
  private static final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private static final MutableClock clock = MutableClock.at("2026-09-01T12:00:00Z");

  @BeforeAll
  static void start() {
    database = TestDatabase.create(8);
    redis = TestRedis.open();
    limiter = RedisBurstLimiter.builder(redis.url()).commandTimeout(TestRedis.PATIENT).build();
    q = Quotient.builder(database.dataSource()).clock(clock).writers(1).sweepInterval(null).burstLimiter(limiter)
        .onBatchCommitted((size, elapsed) -> batchSizes.add(size)).build();
    q.putPlan(new Plan("prefetch", Map.of(
        "m", new Limit(1000L, Period.MONTH, Enforcement.HARD, null, new Rate(1, 2)),
        "n", new Limit(1000L, Period.MONTH, Enforcement.HARD, null, new Rate(1, 5)),
        "q", new Limit(0L, Period.MONTH, Enforcement.HARD, null, null),
        "other", Limit.of(1000, Period.MONTH))));
  }

  @AfterAll
  static void stop() {
    q.close();
    limiter.close();
    redis.close();
    database.close();
  }

  @Test
  void requests_denied_for_quota_keep_no_tokens_and_do_not_limit_the_ones_after_them() throws Exception {
    String user = "pf-" + UUID.randomUUID();
    List<ConsumeRequest> requests = List.of(
        ConsumeRequest.of(user, "m", 1),                                           // granted: m 2 -> 1
        new ConsumeRequest(user, List.of(new Item("m", 1), new Item("n", 1), new Item("q", 1)), null,
            ConsumeRequest.DEFAULT_SCOPE, Map.of()),                              // quota: takes nothing
        ConsumeRequest.of(user, "m", 1),                                           // granted: m 1 -> 0
        ConsumeRequest.of(user, "m", 1),                                           // rate limited
        new ConsumeRequest(user, List.of(new Item("n", 2), new Item("q", 1)), null,
            ConsumeRequest.DEFAULT_SCOPE, Map.of()),                              // quota: takes nothing
        ConsumeRequest.of(user, "n", 5));                                          // granted: n 5 -> 0
    List<ConsumeResult> results = inOneBatch(user, requests);

    assertThat(results).extracting(r -> ((Decision) r).reason()).containsExactly(
        null, DenialReason.QUOTA_EXCEEDED, null, DenialReason.RATE_LIMITED, DenialReason.QUOTA_EXCEEDED, null);
    // Another instance sees both buckets empty, and nothing given back twice.
    try (RedisBurstLimiter other = RedisBurstLimiter.builder(redis.url()).commandTimeout(TestRedis.PATIENT).build()) {
      assertThat(other.begin().acquire(List.of(new Claim(user, "m", new Rate(1, 2), 1)), clock.instant(), false)).isEqualTo(0);
      assertThat(other.begin().acquire(List.of(new Claim(user, "n", new Rate(1, 5), 1)), clock.instant(), false)).isEqualTo(0);
      // A second later m has one token again (and only one).
      assertThat(other.begin().acquire(List.of(new Claim(user, "m", new Rate(1, 2), 1)), clock.instant().plusSeconds(1), false))
          .isEqualTo(-1);
      assertThat(other.begin().acquire(List.of(new Claim(user, "m", new Rate(1, 2), 2)), clock.instant().plusSeconds(1), false))
          .isEqualTo(0);
    }
    assertThat(limiter.fallbackDecisions()).isZero();
  }

  @Test
  void tokens_prefetched_for_requests_that_never_acquire_are_given_back_at_commit() throws Exception {
    String user = "pf-" + UUID.randomUUID();
    List<ConsumeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      requests.add(new ConsumeRequest(user, List.of(new Item("n", 1), new Item("q", 1)), null,
          ConsumeRequest.DEFAULT_SCOPE, Map.of())); // all denied for quota
    }
    List<ConsumeResult> results = inOneBatch(user, requests);
    assertThat(results).allSatisfy(r -> assertThat(((Decision) r).reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED));
    try (RedisBurstLimiter other = RedisBurstLimiter.builder(redis.url()).commandTimeout(TestRedis.PATIENT).build()) {
      assertThat(other.begin().acquire(List.of(new Claim(user, "n", new Rate(1, 5), 5)), clock.instant(), false)).isEqualTo(-1);
    }
  }

  /** Holds the writer on a locked row while {@code requests} queue, so that they are decided in one batch. */
  private static List<ConsumeResult> inOneBatch(String user, List<ConsumeRequest> requests) throws Exception {
    String plug = "plug-" + user;
    q.putSubject(new Subject(user, "prefetch", clock.instant(), Map.of()));
    q.putSubject(new Subject(plug, "prefetch", clock.instant(), Map.of()));
    q.consume(ConsumeRequest.of(plug, "other", 1)); // the row the writer will wait on
    List<CompletableFuture<ConsumeResult>> futures = new ArrayList<>();
    try (Connection lock = database.dataSource().getConnection()) {
      lock.setAutoCommit(false);
      try (PreparedStatement ps = lock.prepareStatement("SELECT used FROM counters WHERE subject = ? FOR UPDATE")) {
        ps.setString(1, plug);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      CompletableFuture<ConsumeResult> held = q.consumeAsync(ConsumeRequest.of(plug, "other", 1));
      awaitBlockedBy(lock);
      batchSizes.clear();
      for (ConsumeRequest request : requests) {
        futures.add(q.consumeAsync(request));
      }
      lock.commit();
      held.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }
    List<ConsumeResult> results = new ArrayList<>();
    for (CompletableFuture<ConsumeResult> future : futures) {
      results.add(future.get(BOUND_SECONDS, TimeUnit.SECONDS));
    }
    // The listener hears of a batch after its callers have their answers.
    Eventually.await("one batch of " + requests.size(), java.time.Duration.ofSeconds(BOUND_SECONDS),
        () -> batchSizes.contains(requests.size()));
    return results;
  }

  private static void awaitBlockedBy(Connection holder) throws Exception {
    int pid;
    try (PreparedStatement ps = holder.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      pid = rs.getInt(1);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    try (Connection watcher = database.dataSource().getConnection();
        PreparedStatement ps = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
      ps.setInt(1, pid);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.onSpinWait();
      }
    }
    throw new AssertionError("nothing waited for the lock of backend " + pid);
  }
}
