package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The concurrency oracle: many threads, small limits and grants, and an exact expectation. With
 * one unit per attempt, every subject must be granted exactly min(limit + grants, attempts), and
 * the counters, the grants and the events must all agree with what callers were told.
 */
class ConcurrencyTest {
  private static final int THREADS = 64;
  private static final int ATTEMPTS = 10_000;
  private static final long LIMIT = 20;

  private static Database database;

  @BeforeAll
  static void start() {
    database = TestDatabase.create(24);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void spread_over_many_subjects_grants_exactly_the_limit_plus_grants() throws Exception {
    try (Quotient engine = engine()) {
      run(List.of(engine), "spread", 400);
    }
  }

  @Test
  void one_hot_subject_grants_exactly_the_limit_plus_grants() throws Exception {
    try (Quotient engine = engine()) {
      run(List.of(engine), "hot", 1);
    }
  }

  @Test
  void two_engines_on_one_database_stay_exact_spread_and_hot() throws Exception {
    try (Quotient first = engine();
        Quotient second = engine()) {
      run(List.of(first, second), "two-spread", 400);
      run(List.of(first, second), "two-hot", 1);
    }
  }

  private static Quotient engine() {
    return Quotient.builder(database.dataSource()).sweepInterval(null).build();
  }

  private static void run(List<Quotient> engines, String name, int subjectCount) throws Exception {
    Quotient admin = engines.get(0);
    Plan plan = admin.putPlan(new Plan(name, Map.of("ai", Limit.of(LIMIT, Period.MONTH))));
    Random random = new Random(42);
    String[] subjects = new String[subjectCount];
    long[] bonus = new long[subjectCount];
    for (int s = 0; s < subjectCount; s++) {
      subjects[s] = name + "-" + s;
      admin.putSubject(new Subject(subjects[s], plan.name(), Instant.now(), Map.of()));
      int grants = subjectCount == 1 ? 3 : random.nextInt(3);
      for (int g = 0; g < grants; g++) {
        long amount = subjectCount == 1 ? 1000 + g : 1 + random.nextInt(5);
        admin.grant(new GrantRequest(subjects[s], "ai", amount, null, "oracle"));
        bonus[s] += amount;
      }
    }
    // Each attempt picks its subject up front, so demand per subject is known exactly.
    int[] target = new int[ATTEMPTS];
    long[] demand = new long[subjectCount];
    for (int i = 0; i < ATTEMPTS; i++) {
      target[i] = subjectCount == 1 ? 0 : random.nextInt(subjectCount);
      demand[target[i]]++;
    }

    AtomicLongArray granted = new AtomicLongArray(subjectCount);
    List<Long> grantedEvents = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Quotient engine = engines.get(t % engines.size());
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = thread; i < ATTEMPTS; i += THREADS) {
                        Decision decision = (Decision) engine.consume(ConsumeRequest.of(subjects[target[i]], "ai", 1));
                        if (decision.allowed()) {
                          granted.incrementAndGet(target[i]);
                          grantedEvents.add(decision.eventId());
                        }
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();

    Map<String, long[]> stored = storedTotals(name + "-%");
    long expectedTotal = 0;
    for (int s = 0; s < subjectCount; s++) {
      long expected = Math.min(LIMIT + bonus[s], demand[s]);
      expectedTotal += expected;
      assertThat(granted.get(s)).as("granted to %s", subjects[s]).isEqualTo(expected);
      long[] totals = stored.getOrDefault(subjects[s], new long[4]);
      assertThat(totals[0]).as("counter of %s", subjects[s]).isEqualTo(expected);
      assertThat(totals[1]).as("granted events of %s", subjects[s]).isEqualTo(expected);
      assertThat(totals[2]).as("denied events of %s", subjects[s]).isEqualTo(demand[s] - expected);
      assertThat(totals[3]).as("grant units used by %s", subjects[s]).isEqualTo(Math.max(0, expected - LIMIT));
    }
    assertThat(grantedEvents).hasSize((int) expectedTotal).doesNotHaveDuplicates();
  }

  /** Per subject: counter used, granted event units, denied events, grant units used. */
  private static Map<String, long[]> storedTotals(String pattern) throws Exception {
    Map<String, long[]> totals = new HashMap<>();
    try (Connection c = database.dataSource().getConnection()) {
      query(c, "SELECT subject, sum(used) FROM counters WHERE subject LIKE ? GROUP BY subject", pattern, totals, 0);
      query(
          c,
          "SELECT e.subject, sum(x.amount) FROM events e CROSS JOIN LATERAL json_to_recordset(e.items) AS x(amount bigint)"
              + " WHERE e.subject LIKE ? AND e.type = 'consume' AND e.allowed GROUP BY e.subject",
          pattern, totals, 1);
      query(
          c,
          "SELECT subject, count(*) FROM events WHERE subject LIKE ? AND type = 'consume' AND NOT allowed GROUP BY subject",
          pattern, totals, 2);
      query(c, "SELECT subject, sum(used) FROM grants WHERE subject LIKE ? GROUP BY subject", pattern, totals, 3);
    }
    return totals;
  }

  private static void query(Connection c, String sql, String pattern, Map<String, long[]> totals, int column)
      throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, pattern);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          totals.computeIfAbsent(rs.getString(1), k -> new long[4])[column] = rs.getLong(2);
        }
      }
    }
  }
}
