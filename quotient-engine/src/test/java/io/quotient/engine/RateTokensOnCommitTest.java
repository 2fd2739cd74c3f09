package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import io.quotient.rate.BurstLimiter;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 8: burst-rate tokens are taken only by requests that commit. A batch is made to
 * roll back and rerun for real: its idempotency key is stored by another transaction (standing in
 * for another engine) while the batch runs, so the batch's own insert waits, finds the key taken,
 * and reruns. The clock stands still, so buckets never refill and tokens count exactly.
 */
class RateTokensOnCommitTest {
  private static final long BOUND_SECONDS = 20;
  private static Database database;
  private static Quotient q;
  private static final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  private static final Recording limiter = new Recording(BurstLimiter.inProcess());

  @BeforeAll
  static void start() {
    database = TestDatabase.create(8);
    q = Quotient.builder(database.dataSource()).clock(clock).writers(1).sweepInterval(null).burstLimiter(limiter).build();
  }

  @AfterAll
  static void stop() {
    q.close();
    database.close();
  }

  @Test
  void a_batch_that_reruns_takes_the_tokens_of_its_granted_request_once() throws Exception {
    Plan plan = q.putPlan(new Plan("rated", Map.of(
        "ai", new Limit(1000L, Period.MONTH, Enforcement.HARD, null, new Rate(1, 3)),
        "other", Limit.of(1000, Period.MONTH))));
    for (String id : List.of("plug", "user")) {
      q.putSubject(new Subject(id, plan.name(), clock.instant(), Map.of()));
    }
    q.consume(ConsumeRequest.of("plug", "other", 1)); // creates the row the plug batch will wait on

    try (Connection plugLock = database.dataSource().getConnection();
        Connection otherEngine = database.dataSource().getConnection()) {
      // 1. Hold the writer on a batch of its own, so that the next two requests queue together.
      plugLock.setAutoCommit(false);
      try (PreparedStatement lock = plugLock.prepareStatement("SELECT used FROM counters WHERE subject = 'plug' FOR UPDATE");
          ResultSet rs = lock.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
      CompletableFuture<ConsumeResult> plug = q.consumeAsync(ConsumeRequest.of("plug", "other", 1));
      awaitBlockedBy(plugLock);
      // 2. "Another engine" stores the key the batch will use, and has not committed yet.
      otherEngine.setAutoCommit(false);
      try (PreparedStatement key = otherEngine.prepareStatement(
          "INSERT INTO idempotency_keys (subject, key, fingerprint, event_id, created_at) VALUES ('user', 'race-1', 'other', 1, now())")) {
        key.executeUpdate();
      }
      // 3. One batch: a rate-limited request (granted), and a keyed one whose insert will wait.
      CompletableFuture<ConsumeResult> rated = q.consumeAsync(ConsumeRequest.of("user", "ai", 1));
      CompletableFuture<ConsumeResult> keyed =
          q.consumeAsync(ConsumeRequest.of("user", "other", 1).withIdempotencyKey("race-1"));
      plugLock.commit();
      assertThat(plug.get(BOUND_SECONDS, TimeUnit.SECONDS)).isInstanceOf(Decision.class);
      awaitBlockedBy(otherEngine);
      // 4. The other engine commits: the batch finds the key taken, rolls back and runs again.
      otherEngine.commit();
      assertThat(((Decision) rated.get(BOUND_SECONDS, TimeUnit.SECONDS)).allowed()).isTrue();
      assertThat(keyed.get(BOUND_SECONDS, TimeUnit.SECONDS)).isInstanceOf(IdempotencyMismatch.class);
    }

    // Burst 3, one taken by the committed request: exactly two more, then rate_limited.
    assertThat(((Decision) q.consume(ConsumeRequest.of("user", "ai", 1))).allowed()).isTrue();
    assertThat(((Decision) q.consume(ConsumeRequest.of("user", "ai", 1))).allowed()).isTrue();
    Decision third = (Decision) q.consume(ConsumeRequest.of("user", "ai", 1));
    assertThat(third.reason()).isEqualTo(DenialReason.RATE_LIMITED);
    assertThat(q.status("user").metrics().stream().filter(m -> m.metric().equals("ai")).findFirst().orElseThrow().used())
        .isEqualTo(3);
    // The engine told the limiter: the first attempt's take was abandoned, not committed.
    assertThat(limiter.abandonedWithTakes).hasValue(1);
  }

  /**
   * The in-process limiter, counting the attempts that are abandoned after taking tokens: a shared
   * limiter (Redis) takes tokens at once and gives them back only when told.
   */
  private static final class Recording implements BurstLimiter {
    final AtomicInteger abandonedWithTakes = new AtomicInteger();
    private final BurstLimiter inner;

    Recording(BurstLimiter inner) {
      this.inner = inner;
    }

    @Override
    public Attempt begin() {
      Attempt attempt = inner.begin();
      return new Attempt() {
        boolean took;

        @Override
        public int acquire(List<Claim> claims, Instant now, boolean take) {
          int limited = attempt.acquire(claims, now, take);
          took |= take && limited < 0;
          return limited;
        }

        @Override
        public void commit(Instant now) {
          attempt.commit(now);
        }

        @Override
        public void abandon(Instant now) {
          if (took) {
            abandonedWithTakes.incrementAndGet();
          }
          attempt.abandon(now);
        }
      };
    }
  }

  /** Waits until some backend waits for a lock {@code holder}'s transaction holds. */
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
