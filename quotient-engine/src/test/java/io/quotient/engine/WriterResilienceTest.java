package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.CallTimeoutException;
import io.quotient.StorageException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 5: a writer never dies and a caller never waits forever. One writer, so that
 * every batch goes through the thread a failure could kill. Test waits are bounded (a hang of the
 * old code fails the test instead of stalling the build); they assert no timing.
 */
class WriterResilienceTest {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  private static final long TEST_BOUND_SECONDS = 20;

  private static Database database;
  private static Quotient q;
  private static final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  /** How many more batches the listener fails (alternating RuntimeException and Error). */
  private static final AtomicInteger listenerFailures = new AtomicInteger();
  private static Plan plan;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.create(8);
    q = Quotient.builder(database.dataSource()).clock(clock).writers(1).sweepInterval(null).callTimeout(CALL_TIMEOUT)
        .onBatchCommitted((size, elapsed) -> {
          int left = listenerFailures.getAndDecrement();
          if (left > 0) {
            if (left % 2 == 0) {
              throw new IllegalStateException("listener failure " + left);
            }
            throw new AssertionError("listener error " + left);
          }
        })
        .build();
    plan = q.putPlan(new Plan("p", Map.of("ai", Limit.of(1000, Period.MONTH))));
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      // A real database failure, for one subject only: any write of its counters raises.
      st.execute("CREATE FUNCTION doom() RETURNS trigger LANGUAGE plpgsql AS"
          + " $$ BEGIN RAISE EXCEPTION 'injected failure for %', NEW.subject; END $$");
      st.execute("CREATE TRIGGER doom BEFORE INSERT OR UPDATE ON counters FOR EACH ROW"
          + " WHEN (NEW.subject LIKE 'doomed%') EXECUTE FUNCTION doom()");
    }
  }

  @AfterAll
  static void stop() {
    listenerFailures.set(0);
    q.close();
    database.close();
  }

  private static String subject(String id) {
    q.putSubject(new Subject(id, plan.name(), clock.instant(), Map.of()));
    return id;
  }

  private static ConsumeResult consumeBounded(ConsumeRequest request) throws Exception {
    return CompletableFuture.supplyAsync(() -> q.consume(request)).get(TEST_BOUND_SECONDS, TimeUnit.SECONDS);
  }

  private static long used(String subject) {
    return q.status(subject).metrics().get(0).used();
  }

  @Test
  void a_failing_listener_leaves_its_batch_answered_and_the_writer_running() throws Exception {
    String user = subject("listened");
    listenerFailures.set(4);
    for (int i = 1; i <= 6; i++) {
      Decision decision = (Decision) consumeBounded(ConsumeRequest.of(user, "ai", 1));
      assertThat(decision.allowed()).as("consume %d answered with its committed decision", i).isTrue();
      assertThat(decision.items().get(0).used()).isEqualTo(i);
    }
    assertThat(used(user)).isEqualTo(6);
  }

  @Test
  void a_batch_that_fails_in_the_database_fails_only_its_requests_and_the_writer_goes_on() throws Exception {
    String healthy = subject("healthy");
    String doomed = subject("doomed-1");
    assertThatThrownBy(() -> {
      try {
        consumeBounded(ConsumeRequest.of(doomed, "ai", 1));
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    }).isInstanceOf(StorageException.class).hasMessageContaining("injected failure for doomed-1");
    for (int i = 1; i <= 3; i++) {
      assertThat(((Decision) consumeBounded(ConsumeRequest.of(healthy, "ai", 1))).allowed()).isTrue();
    }
    assertThat(used(healthy)).isEqualTo(3);
    assertThat(q.status(doomed).metrics().get(0).used()).isZero();
  }

  @Test
  void a_call_stuck_behind_a_lock_times_out_with_outcome_unknown_and_a_retry_replays() throws Exception {
    String user = subject("locked");
    Decision first = (Decision) consumeBounded(ConsumeRequest.of(user, "ai", 1));
    ConsumeRequest keyed = ConsumeRequest.of(user, "ai", 2).withIdempotencyKey("stuck-1");
    try (Connection blocker = database.dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (PreparedStatement lock = blocker.prepareStatement("SELECT used FROM counters WHERE subject = ? FOR UPDATE")) {
        lock.setString(1, user);
        try (ResultSet rs = lock.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      assertThatThrownBy(() -> {
        try {
          consumeBounded(keyed);
        } catch (ExecutionException e) {
          throw e.getCause();
        }
      }).isInstanceOfSatisfying(CallTimeoutException.class, e -> {
        assertThat(e.waited()).isEqualTo(CALL_TIMEOUT);
        assertThat(e.getMessage()).contains("outcome is unknown").contains("same idempotency key");
      });
      blocker.rollback();
    }
    // The stuck batch commits once the lock is gone; a retry with the same key gets that decision.
    Decision retry = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TEST_BOUND_SECONDS);
    while (retry == null && System.nanoTime() < deadline) {
      ConsumeResult result = consumeBounded(keyed);
      if (result instanceof Decision d) {
        retry = d;
      }
    }
    assertThat(retry).isNotNull();
    assertThat(retry.replayed()).isTrue();
    assertThat(retry.eventId()).isGreaterThan(first.eventId());
    assertThat(used(user)).isEqualTo(3);
  }
}
