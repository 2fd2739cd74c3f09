package io.quotient.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed's promise under load: many threads consume through one engine or two engines on one
 * database (each engine with two writers, so batches commit out of event-id order), while a cursor
 * reader follows {@code events(after)} page by page and a subscriber follows the publisher. Once
 * the writers stop and the followers catch up, each follower has seen exactly the events the table
 * holds, each once, in (tx, id) order.
 *
 * <p>The old reader ({@code id > after}) fails this: ids come in blocks per engine and are taken
 * by two writers at once, so a batch holding lower ids that commits after a batch holding higher
 * ids is behind the reader's cursor when it becomes visible, and is never read.
 */
class FeedFollowTest {
  private static final int THREADS = 24;
  private static final int ATTEMPTS_PER_THREAD = 150;
  private static final int SUBJECTS = 300;

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
  void followers_of_one_engine_see_every_committed_event_once_in_feed_order() throws Exception {
    try (Quotient engine = engine()) {
      run(List.of(engine), "one");
    }
  }

  @Test
  void followers_of_two_engines_on_one_database_see_every_committed_event_once_in_feed_order() throws Exception {
    try (Quotient first = engine();
        Quotient second = engine()) {
      run(List.of(first, second), "two");
    }
  }

  private static Quotient engine() {
    return Quotient.builder(database.dataSource()).defaultPlan("feed").sweepInterval(null).build();
  }

  private static void run(List<Quotient> engines, String name) throws Exception {
    Quotient admin = engines.get(0);
    admin.putPlan(new Plan("feed", Map.of("ai", Limit.of(10, Period.MONTH))));
    FeedCursor start = caughtUp(admin);

    // The subscriber follows the last engine, so with two engines most events come from the other.
    Collector subscriber = new Collector(64);
    engines.get(engines.size() - 1).feed(new EventQuery(null, null, start, 200)).subscribe(subscriber);

    AtomicBoolean writing = new AtomicBoolean(true);
    List<Long> paged = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    follow(admin, start, paged, writing);
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });

    Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Quotient engine = engines.get(t % engines.size());
      Random random = new Random(t);
      writers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
                        String subject = name + "-" + random.nextInt(SUBJECTS);
                        Decision decision = (Decision) engine.consume(ConsumeRequest.of(subject, "ai", 1));
                        committedAt.put(decision.eventId(), System.nanoTime());
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread writer : writers) {
      writer.join();
    }
    writing.set(false);
    List<Long> committed = committedAfter(start);
    reader.join(TimeUnit.SECONDS.toMillis(120));
    assertThat(reader.isAlive()).as("the page reader caught up").isFalse();
    assertThat(failures).isEmpty();
    assertThat(committedAt).hasSize(THREADS * ATTEMPTS_PER_THREAD);
    assertThat(committed).as("consumes and the subjects they created").hasSizeGreaterThan(THREADS * ATTEMPTS_PER_THREAD);

    assertThat(paged).as("the page reader, in feed order").containsExactlyElementsOf(committed);

    subscriber.awaitCount(committed.size(), 120);
    assertThat(subscriber.ids()).as("the subscriber, in feed order").containsExactlyElementsOf(committed);
    assertThat(subscriber.threads()).allMatch(thread -> thread.startsWith("quotient-feed-"));
    subscriber.cancel();
    System.out.printf(
        "feed, %d engine(s), %d threads, %d events: commit-to-subscriber delay %s%n",
        engines.size(), THREADS, committed.size(), subscriber.delays(committedAt));
  }

  /** Follows the feed page by page until the writers have stopped and it has everything committed. */
  private static void follow(Quotient engine, FeedCursor start, List<Long> seen, AtomicBoolean writing)
      throws Exception {
    FeedCursor cursor = start;
    List<Long> committed = null;
    while (true) {
      EventPage page = engine.events(new EventQuery(null, null, cursor, 50));
      for (Event event : page.events()) {
        assertThat(event.cursor()).isGreaterThan(cursor);
        seen.add(event.id());
        cursor = event.cursor();
      }
      assertThat(page.nextCursor()).isGreaterThanOrEqualTo(cursor);
      cursor = page.nextCursor();
      if (page.events().isEmpty()) {
        if (!writing.get()) {
          committed = committed == null ? committedAfter(start) : committed;
          if (seen.size() >= committed.size()) {
            return;
          }
        }
        Thread.sleep(1); // caught up with the horizon: let the writers move on
      }
    }
  }

  /** The position after everything committed so far. */
  private static FeedCursor caughtUp(Quotient engine) throws InterruptedException {
    FeedCursor cursor = FeedCursor.beginning();
    while (true) {
      EventPage page = engine.events(new EventQuery(null, null, cursor, 1000));
      cursor = page.nextCursor();
      if (page.events().isEmpty()) {
        return cursor;
      }
    }
  }

  /** Ids of the events in the table after {@code start}, in (tx, id) order: the oracle. */
  static List<Long> committedAfter(FeedCursor start) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM events WHERE (tx, id) > (?::text::xid8, ?) ORDER BY tx, id")) {
      ps.setString(1, Long.toString(start.tx()));
      ps.setLong(2, start.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** A subscriber that keeps {@code window} events requested and records what it gets, and when. */
  static final class Collector implements Flow.Subscriber<Event> {
    private final int window;
    private final List<Long> ids = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> threads = ConcurrentHashMap.newKeySet();
    private volatile Flow.Subscription subscription;
    private int outstanding;

    Collector(int window) {
      this.window = window;
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
      subscription = value;
      outstanding = window;
      value.request(window);
    }

    @Override
    public void onNext(Event event) {
      arrivals.add(System.nanoTime());
      ids.add(event.id());
      threads.add(Thread.currentThread().getName());
      if (--outstanding <= window / 2) {
        subscription.request(window - outstanding);
        outstanding = window;
      }
    }

    @Override
    public void onError(Throwable e) {
      throw new AssertionError("the feed failed", e);
    }

    @Override
    public void onComplete() {}

    void cancel() {
      subscription.cancel();
    }

    List<Long> ids() {
      return List.copyOf(ids);
    }

    java.util.Set<String> threads() {
      return threads;
    }

    void awaitCount(int count, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (ids.size() < count && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }

    /** p50, p99 and max of delivery minus the moment the consumer was told of the commit. */
    String delays(Map<Long, Long> committedAt) {
      List<Long> micros = new ArrayList<>();
      synchronized (ids) {
        for (int i = 0; i < ids.size(); i++) {
          Long at = committedAt.get(ids.get(i));
          if (at != null) {
            micros.add(Math.max(0, arrivals.get(i) - at) / 1000);
          }
        }
      }
      Collections.sort(micros);
      if (micros.isEmpty()) {
        return "n/a";
      }
      return String.format(
          "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d consumes)",
          micros.get(micros.size() / 2) / 1000.0,
          micros.get((int) (micros.size() * 0.99)) / 1000.0,
          micros.get(micros.size() - 1) / 1000.0,
          micros.size());
    }
  }
}
