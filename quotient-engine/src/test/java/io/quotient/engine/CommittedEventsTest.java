package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Item;
import io.quotient.reservation.ReserveRequest;
import io.quotient.event.Event;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The feed pages an engine serves from the events it committed itself are the pages its rows
 * give, event for event; and they are served from memory, not read back.
 */
class CommittedEventsTest {
  @Test
  void a_page_of_its_own_events_equals_the_page_read_from_the_rows_and_comes_from_memory() throws Exception {
    // Nanoseconds on the clock: the event must still read back equal (PostgreSQL keeps microseconds).
    MutableClock clock = MutableClock.at("2026-03-10T12:00:00.123456789Z");
    try (Database database = TestDatabase.create(6);
        Quotient writer = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build()) {
      writer.putPlan(new Plan("free", Map.of("ai", Limit.of(5, Period.MONTH), "projects", Limit.of(3, Period.TOTAL))));
      writer.putSubject(new Subject("alice", "free", clock.instant(), Map.of()));
      FeedCursor start = writer.head();
      writer.grant(new GrantRequest("alice", "ai", 2, null, "welcome"));
      writer.consume(ConsumeRequest.of("alice", new Item("ai", 3), new Item("projects", 1))
          .withIdempotencyKey("k-1").withMetadata(Map.of("feature", "chat", "tab\there", "new\nline")));
      writer.consume(ConsumeRequest.of("alice", "ai", 3).withScope("key:web")); // 1 from the grant
      writer.consume(ConsumeRequest.of("alice", "ai", 5)); // denied
      writer.reserve(new ReserveRequest(ConsumeRequest.of("alice", "projects", 2), Duration.ofMinutes(5)));
      clock.advance(Duration.ofNanos(1_500));
      writer.consume(ConsumeRequest.of("bob", "ai", 1)); // unknown subject, no default plan: denied

      List<Event> served = all(writer, start);
      assertThat(served).extracting(Event::type).containsSubsequence(
          EventType.GRANT, EventType.CONSUME, EventType.CONSUME, EventType.CONSUME, EventType.RESERVE, EventType.CONSUME);
      try (Quotient reader = Quotient.builder(database.dataSource()).sweepInterval(null).build()) {
        List<Event> fromRows = all(reader, start);
        assertThat(served).isEqualTo(fromRows);
        for (int i = 0; i < served.size(); i++) {
          assertThat(served.get(i).items()).isEqualTo(fromRows.get(i).items());
          assertThat(served.get(i).at().getNano() % 1000).isZero();
        }

        // A row changed behind the engines' backs (never done by Quotient: events do not change)
        // shows which engine reads rows: the writer serves its decisions as it committed them.
        Event consume = served.stream().filter(e -> e.type() == EventType.CONSUME).findFirst().orElseThrow();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
          s.executeUpdate("UPDATE events SET reason = 'changed' WHERE id = " + consume.id());
        }
        assertThat(find(all(writer, start), consume.id()).reason()).isNull();
        assertThat(find(all(reader, start), consume.id()).reason()).isEqualTo("changed");
      }
    }
  }

  @Test
  void the_events_it_did_not_keep_are_read_from_their_rows_in_feed_order() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
    try (Database database = TestDatabase.create(6);
        Quotient writer = Quotient.builder(database.dataSource()).clock(clock).defaultPlan("free").sweepInterval(null).build();
        Quotient other = Quotient.builder(database.dataSource()).clock(clock).defaultPlan("free").sweepInterval(null).build()) {
      writer.putPlan(new Plan("free", Map.of("ai", Limit.of(1_000, Period.MONTH))));
      FeedCursor start = writer.head();
      for (int i = 0; i < 40; i++) {
        (i % 3 == 0 ? other : writer).consume(ConsumeRequest.of("user-" + (i % 7), "ai", 1));
      }
      // Pages of 7, interleaving both engines' events: each engine's pages hold the other's as rows.
      List<Event> byWriter = new ArrayList<>();
      FeedCursor after = start;
      while (true) {
        var page = writer.events(new EventQuery(null, null, after, 7));
        byWriter.addAll(page.events());
        if (page.events().isEmpty()) {
          break;
        }
        after = page.nextCursor();
      }
      try (Quotient fresh = Quotient.builder(database.dataSource()).sweepInterval(null).build()) {
        List<Event> fromRows = all(fresh, start); // nothing kept: every page one range of rows
        assertThat(fromRows.stream().filter(e -> e.type() == EventType.CONSUME)).hasSize(40);
        assertThat(byWriter).isEqualTo(fromRows); // a third of each page by id
        assertThat(all(other, start)).isEqualTo(fromRows); // two thirds: a range from the first
      }
    }
  }

  @Test
  void an_engine_that_keeps_none_reads_every_event_from_its_row() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
    try (Database database = TestDatabase.create(6);
        Quotient writer =
            Quotient.builder(database.dataSource()).clock(clock).defaultPlan("free").keptEvents(0).sweepInterval(null).build()) {
      writer.putPlan(new Plan("free", Map.of("ai", Limit.of(1_000, Period.MONTH))));
      FeedCursor start = writer.head();
      long id = ((io.quotient.decision.Decision) writer.consume(ConsumeRequest.of("carol", "ai", 1))).eventId();
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE events SET reason = 'changed' WHERE id = " + id);
      }
      assertThat(find(all(writer, start), id).reason()).isEqualTo("changed");
    }
  }

  private static List<Event> all(Quotient engine, FeedCursor from) {
    List<Event> events = new ArrayList<>();
    FeedCursor after = from;
    while (true) {
      var page = engine.events(new EventQuery(null, null, after, 1000));
      events.addAll(page.events());
      if (page.events().size() < 1000) {
        return events;
      }
      after = page.nextCursor();
    }
  }

  private static Event find(List<Event> events, long id) {
    return events.stream().filter(e -> e.id() == id).findFirst().orElseThrow();
  }
}
