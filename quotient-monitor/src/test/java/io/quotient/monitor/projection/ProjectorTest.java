package io.quotient.monitor.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventType;
import io.quotient.event.NewEvent;
import io.quotient.monitor.Monitor;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Projections handle each event exactly once: two monitors (two engines, as two instances would
 * be) run one projection on one database while many threads write through both engines; a handler
 * that fails now and then rolls its batch back with the cursor.
 */
class ProjectorTest {
  private static Database database;

  @BeforeAll
  static void start() throws SQLException {
    database = TestDatabase.create(24);
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE seen (projection text NOT NULL, event_id bigint NOT NULL)");
    }
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  /** Records each event it is handed, in the batch's transaction; fails every {@code failEvery}-th batch. */
  private static Handler recorder(AtomicInteger batches, int failEvery) {
    return batch -> {
      try (PreparedStatement ps = batch.connection().prepareStatement("INSERT INTO seen VALUES (?, ?)")) {
        for (Event event : batch.events()) {
          ps.setString(1, batch.projection());
          ps.setLong(2, event.id());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      if (failEvery > 0 && batches.incrementAndGet() % failEvery == 0) {
        throw new SQLException("a failure after writing: the batch must roll back");
      }
    };
  }

  @Test
  void two_instances_handle_each_event_exactly_once_while_many_threads_write() throws Exception {
    Quotient one = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    Quotient two = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    one.putPlan(new Plan("free", Map.of("calls", Limit.of(1_000_000, Period.MONTH))));
    AtomicInteger batches = new AtomicInteger();
    Projection projection = new Projection("exactly-once", Projection.Start.BEGINNING, recorder(batches, 7));
    Projection other = new Projection("exactly-once-2", Projection.Start.BEGINNING, recorder(new AtomicInteger(), 0));
    Monitor a = Monitor.builder(one, database).pollInterval(Duration.ofMillis(20)).stepEvents(17)
        .projection(projection).projection(other).start();
    Monitor b = Monitor.builder(two, database).pollInterval(Duration.ofMillis(20)).stepEvents(17)
        .projection(projection).projection(other).start();
    try {
      int threads = 16;
      int perThread = 60;
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Quotient engine = t % 2 == 0 ? one : two;
        String subject = "user-" + t;
        engine.putSubject(new Subject(subject, "free", Instant.now(), Map.of()));
        writers.add(Thread.ofPlatform().start(() -> {
          try {
            go.await();
            for (int i = 0; i < perThread; i++) {
              engine.consume(ConsumeRequest.of(subject, "calls", 1));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      go.countDown();
      for (Thread writer : writers) {
        writer.join();
      }
      a.catchUp(Duration.ofSeconds(60));
      b.catchUp(Duration.ofSeconds(60));

      long events = count("SELECT count(*) FROM events");
      assertThat(events).isGreaterThanOrEqualTo(threads * perThread);
      for (String name : List.of("exactly-once", "exactly-once-2")) {
        assertThat(count("SELECT count(*) FROM seen WHERE projection = '" + name + "'")).as(name).isEqualTo(events);
        assertThat(count("SELECT count(DISTINCT event_id) FROM seen WHERE projection = '" + name + "'")).as(name).isEqualTo(events);
      }
      assertThat(batches.get()).as("some batches failed and were handled again").isGreaterThan(7);
    } finally {
      a.close();
      b.close();
      one.close();
      two.close();
    }
  }

  @Test
  void events_a_handler_appends_are_in_the_feed_with_its_cursor_and_a_projection_started_now_skips_history()
      throws Exception {
    Quotient engine = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    engine.putPlan(new Plan("basic", Map.of("calls", Limit.of(10, Period.MONTH))));
    engine.putSubject(new Subject("old", "basic", Instant.now(), Map.of()));
    List<String> echoed = new ArrayList<>();
    Handler echo = batch -> {
      for (Event event : batch.events()) {
        if (event.type() == EventType.CONSUME) {
          batch.append(new NewEvent(EventType.ALERT_TRIGGERED, batch.now(), event.subject(), Map.of("of", Long.toString(event.id()))));
        }
      }
    };
    List<NewEvent> told = new CopyOnWriteArrayList<>();
    Monitor monitor = Monitor.builder(engine, database).projection(new Projection("echo", Projection.Start.NOW, echo))
        .onAppended(told::add).start();
    try {
      long consume = ((io.quotient.decision.Decision) engine.consume(ConsumeRequest.of("old", "calls", 1))).eventId();
      monitor.catchUp(Duration.ofSeconds(30));
      try (Connection c = database.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT subject, detail->>'of' FROM events WHERE type = 'alert.triggered'");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          echoed.add(rs.getString(1) + ":" + rs.getString(2));
        }
      }
      // Only the consume after the start: the subject's creation and the earlier tests' events are history.
      assertThat(echoed).containsExactly("old:" + consume);
      assertThat(told).extracting(NewEvent::subject).containsExactly("old");
    } finally {
      monitor.close();
      engine.close();
    }
  }

  @Test
  void under_load_one_step_handles_the_commits_of_a_linger_while_a_quiet_feeds_first_event_is_handled_at_once()
      throws Exception {
    Quotient engine = Quotient.builder(database.dataSource()).sweepInterval(null).build();
    engine.putPlan(new Plan("lingering", Map.of("calls", Limit.of(1_000_000, Period.MONTH))));
    engine.putSubject(new Subject("lingerer", "lingering", Instant.now(), Map.of()));
    List<Integer> consumesPerStep = new CopyOnWriteArrayList<>();
    List<Long> stepNanos = new CopyOnWriteArrayList<>();
    Handler counter = batch -> {
      int consumes = (int) batch.events().stream()
          .filter(e -> e.type() == EventType.CONSUME && "lingerer".equals(e.subject())).count();
      if (consumes > 0) {
        consumesPerStep.add(consumes);
        stepNanos.add(System.nanoTime());
      }
    };
    Duration linger = Duration.ofSeconds(3);
    Monitor monitor = Monitor.builder(engine, database).linger(linger).pollInterval(Duration.ofMillis(50))
        .projection(new Projection("lingering", Projection.Start.NOW, counter)).start();
    try {
      Thread.sleep(300); // a few empty polls: they must not hold the next event back
      long first = System.nanoTime();
      engine.consume(ConsumeRequest.of("lingerer", "calls", 1));
      Eventually.await("the first step", Duration.ofSeconds(20), () -> consumesPerStep.size() == 1);
      assertThat(Duration.ofNanos(stepNanos.get(0) - first)).as("the first event after a quiet spell").isLessThan(linger.dividedBy(2));

      int burst = 20; // one commit every 10 ms, all within the linger that the first step started
      for (int i = 0; i < burst; i++) {
        engine.consume(ConsumeRequest.of("lingerer", "calls", 1));
        Thread.sleep(10);
      }
      Eventually.await("every consume handled", Duration.ofSeconds(20),
          () -> consumesPerStep.stream().mapToInt(Integer::intValue).sum() == 1 + burst);
      // Without the linger every commit wakes the projection: about one step per commit.
      assertThat(consumesPerStep).as("consumes per step").hasSizeLessThanOrEqualTo(3);
      assertThat(Duration.ofNanos(stepNanos.get(1) - stepNanos.get(0))).as("the second step waited out the linger")
          .isGreaterThanOrEqualTo(linger.minusMillis(50));
    } finally {
      monitor.close();
      engine.close();
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
