package io.quotient.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventQuery;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscriptions to the feed: resuming, demand, threads, cancel, close; and the horizon. */
class FeedSubscriptionTest {
  private static Database database;
  private static Quotient engine;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    database = TestDatabase.create(12);
    engine = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    engine.putPlan(new Plan("open", Map.of("ai", Limit.unlimited(Period.MONTH))));
  }

  @AfterAll
  static void stop() {
    engine.close();
    database.close();
  }

  private static String subject() {
    String id = "sub-" + names.incrementAndGet();
    engine.putSubject(new Subject(id, "open", Instant.now(), Map.of()));
    return id;
  }

  private static long consume(String subject) {
    return ((Decision) engine.consume(ConsumeRequest.of(subject, "ai", 1))).eventId();
  }

  private static EventQuery of(String subject, FeedCursor after) {
    return new EventQuery(subject, null, after, 100);
  }

  @Test
  void a_subscription_resumes_from_a_cursor_without_gap_or_repeat() throws Exception {
    String subject = subject();
    for (int i = 0; i < 10; i++) {
      consume(subject);
    }
    Recorder first = new Recorder(0);
    first.cancelAfter = 4;
    engine.feed(of(subject, FeedCursor.beginning())).subscribe(first);
    await(() -> first.subscription.get() != null);
    first.request(1_000); // more than the four it takes before cancelling
    await(() -> first.events.size() == 4);
    FeedCursor resumeAt = first.events.get(3).cursor();

    for (int i = 0; i < 5; i++) {
      consume(subject); // while nobody follows
    }
    Recorder second = new Recorder(Long.MAX_VALUE);
    engine.feed(of(subject, resumeAt)).subscribe(second);
    for (int i = 0; i < 5; i++) {
      consume(subject); // while it follows
    }
    await(() -> second.events.size() == 17);

    List<Long> all = engine.events(of(subject, FeedCursor.beginning())).events().stream().map(Event::id).toList();
    assertThat(all).hasSize(21); // the subject's creation and 20 consumes
    List<Long> seen = new ArrayList<>(first.ids());
    seen.addAll(second.ids());
    assertThat(seen).containsExactlyElementsOf(all);
    assertThat(first.events).as("nothing after cancel").hasSize(4);
  }

  @Test
  void a_subscription_delivers_no_more_than_requested() throws Exception {
    String subject = subject();
    for (int i = 0; i < 10; i++) {
      consume(subject);
    }
    Recorder recorder = new Recorder(3);
    engine.feed(of(subject, FeedCursor.beginning())).subscribe(recorder);
    await(() -> recorder.events.size() == 3);
    consume(subject); // a commit wakes the subscription: it must still wait for demand
    assertThat(engine.events(of(subject, FeedCursor.beginning())).events()).hasSize(12);
    Thread.sleep(300); // time to over-deliver, if it would
    assertThat(recorder.events).hasSize(3);

    recorder.request(4);
    await(() -> recorder.events.size() == 7);
    Thread.sleep(300);
    assertThat(recorder.events).hasSize(7);
    assertThat(recorder.overDelivered).isFalse();
    recorder.subscription.get().cancel();
  }

  @Test
  void events_are_delivered_on_a_feed_thread_not_on_the_writer_or_the_caller() throws Exception {
    String subject = subject();
    Recorder recorder = new Recorder(Long.MAX_VALUE);
    engine.feed(of(subject, FeedCursor.beginning())).subscribe(recorder);
    for (int i = 0; i < 5; i++) {
      consume(subject);
    }
    await(() -> recorder.events.size() == 6);
    assertThat(recorder.threads)
        .isNotEmpty()
        .allSatisfy(name -> assertThat(name).startsWith("quotient-feed-"))
        .noneMatch(name -> name.equals(Thread.currentThread().getName()));
    recorder.subscription.get().cancel();
  }

  @Test
  void a_cancelled_subscription_stops_reading() throws Exception {
    String subject = subject();
    AtomicInteger reads = new AtomicInteger();
    try (Feed feed =
        Feed.over(
            query -> {
              reads.incrementAndGet();
              return engine.events(query);
            },
            Duration.ofMillis(10))) {
      Recorder recorder = new Recorder(Long.MAX_VALUE);
      feed.publisher(of(subject, FeedCursor.beginning())).subscribe(recorder);
      await(() -> reads.get() >= 3); // polling while caught up
      recorder.subscription.get().cancel();
      Thread.sleep(50); // a read already under way may finish
      int afterCancel = reads.get();
      feed.wake();
      Thread.sleep(200); // twenty poll intervals
      assertThat(reads.get()).isEqualTo(afterCancel);
    }
  }

  @Test
  void a_request_of_zero_ends_the_subscription_with_an_error() throws Exception {
    Recorder recorder = new Recorder(0);
    engine.feed(of(subject(), FeedCursor.beginning())).subscribe(recorder);
    await(() -> recorder.subscription.get() != null);
    recorder.subscription.get().request(0);
    await(() -> recorder.error.get() != null);
    assertThat(recorder.error.get()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closing_the_feed_completes_its_subscriptions() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    Feed feed =
        Feed.over(
            query -> {
              reads.incrementAndGet();
              return engine.events(query);
            },
            Duration.ofMillis(10));
    Recorder recorder = new Recorder(Long.MAX_VALUE);
    feed.publisher(of(subject(), FeedCursor.beginning())).subscribe(recorder);
    await(() -> reads.get() >= 1);
    feed.close();
    await(() -> recorder.completed.get());
    Recorder late = new Recorder(1);
    feed.publisher(of(subject(), FeedCursor.beginning())).subscribe(late);
    await(() -> late.completed.get());
  }

  @Test
  void a_long_transaction_elsewhere_delays_the_feed_and_never_breaks_it() throws Exception {
    String subject = subject();
    FeedCursor start = engine.events(of(subject, FeedCursor.beginning())).nextCursor();
    try (Connection other = database.dataSource().getConnection()) {
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.execute("SELECT pg_current_xact_id()"); // takes a transaction id and keeps it open
      }
      long id = consume(subject);
      // Committed, but a transaction older than it is still running: not final yet, so not served.
      assertThat(engine.events(of(subject, start)).events()).isEmpty();
      other.commit();
      // Served once every older transaction has ended (other test runs on the cluster count too).
      await(() -> !engine.events(of(subject, start)).events().isEmpty());
      List<Long> ids = engine.events(of(subject, start)).events().stream().map(Event::id).toList();
      assertThat(ids).containsExactly(id);
    }
  }

  @Test
  void a_page_at_the_head_waits_for_transactions_running_when_it_began_so_a_caller_sees_its_own_write()
      throws Exception {
    String subject = subject();
    FeedCursor start = engine.events(of(subject, FeedCursor.beginning())).nextCursor();
    try (Connection other = database.dataSource().getConnection()) {
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.execute("SELECT pg_current_xact_id()"); // older than the consume below
      }
      long id = consume(subject);
      Thread finisher =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      Thread.sleep(200);
                      other.commit();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      // Asked while the older transaction still runs: the page waits for it instead of answering empty.
      List<Long> ids = engine.events(of(subject, start)).events().stream().map(Event::id).toList();
      finisher.join();
      assertThat(ids).containsExactly(id);
    }
  }

  @Test
  void cursors_read_back_what_they_write_and_refuse_anything_else_naming_after() {
    FeedCursor cursor = new FeedCursor(73_919, 2_045);
    assertThat(FeedCursor.parse(cursor.toString())).isEqualTo(cursor);
    assertThat(FeedCursor.parse(null)).isEqualTo(FeedCursor.beginning());
    assertThat(FeedCursor.parse(" ")).isEqualTo(FeedCursor.beginning());
    assertThat(new FeedCursor(2, 1)).isGreaterThan(new FeedCursor(1, 9_999));
    for (String bad : List.of("abc", "12", "-1-2", "1--2", "1-", "-", "1-2-3", "99999999999999999999-1", "1-x")) {
      assertThatThrownBy(() -> FeedCursor.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("after"));
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within 30 seconds");
      }
      Thread.sleep(5);
    }
  }

  /** Records what it gets; requests {@code initial} on subscribe and whatever the test asks later. */
  private static final class Recorder implements Flow.Subscriber<Event> {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean();
    final AtomicLong requested = new AtomicLong();
    volatile boolean overDelivered;
    volatile int cancelAfter = Integer.MAX_VALUE;
    private final long initial;

    Recorder(long initial) {
      this.initial = initial;
    }

    void request(long n) {
      requested.addAndGet(n);
      subscription.get().request(n);
    }

    List<Long> ids() {
      return events.stream().map(Event::id).toList();
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
      threads.add(Thread.currentThread().getName());
      subscription.set(value);
      if (initial > 0) {
        request(initial);
      }
    }

    @Override
    public void onNext(Event event) {
      threads.add(Thread.currentThread().getName());
      events.add(event);
      if (events.size() > requested.get()) {
        overDelivered = true;
      }
      if (events.size() == cancelAfter) {
        subscription.get().cancel();
      }
    }

    @Override
    public void onError(Throwable e) {
      error.set(e);
    }

    @Override
    public void onComplete() {
      completed.set(true);
    }
  }
}
