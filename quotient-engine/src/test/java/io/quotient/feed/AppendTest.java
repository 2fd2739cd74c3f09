package io.quotient.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.event.NewEvent;
import io.quotient.storage.Database;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events the monitor appends inside its own transactions: in the feed only if that transaction commits. */
class AppendTest {
  private static Database database;
  private static Quotient quotient;

  @BeforeAll
  static void start() {
    database = TestDatabase.create(4);
    quotient = Quotient.builder(database.dataSource()).sweepInterval(null).build();
  }

  @AfterAll
  static void stop() {
    quotient.close();
    database.close();
  }

  @Test
  void an_appended_event_is_in_the_feed_once_its_transaction_commits_and_never_if_it_rolls_back() throws Exception {
    Instant at = Instant.parse("2026-03-10T12:00:00Z");
    AtomicInteger wakes = new AtomicInteger();
    try (AutoCloseable handle = quotient.onFeedCommit(wakes::incrementAndGet);
        Connection c = database.dataSource().getConnection()) {
      c.setAutoCommit(false);
      quotient.append(c, new NewEvent(EventType.ALERT_RESOLVED, at, "rolled-back", Map.of()));
      c.rollback();
      long id = quotient.append(c, new NewEvent(EventType.ALERT_TRIGGERED, at, "alice", Map.of("metric", "ai", "level", "warning")));
      // Not visible to the caller's own page before the commit: the page stays below its transaction.
      assertThat(quotient.events(c, EventQuery.all()).events()).isEmpty();
      c.commit();
      quotient.feedChanged();
      assertThat(wakes.get()).isEqualTo(1);

      EventPage page = quotient.events(EventQuery.all());
      assertThat(page.events()).extracting(Event::id).containsExactly(id);
      Event event = page.events().get(0);
      assertThat(event.type()).isEqualTo(EventType.ALERT_TRIGGERED);
      assertThat(event.type().wireName()).isEqualTo("alert.triggered");
      assertThat(event.subject()).isEqualTo("alice");
      assertThat(event.at()).isEqualTo(at);
      assertThat(event.detail()).containsExactlyInAnyOrderEntriesOf(Map.of("metric", "ai", "level", "warning"));
      c.commit();
      assertThat(quotient.events(c, EventQuery.all().after(event.cursor())).events()).isEmpty();
      assertThat(quotient.events(c, EventQuery.all()).events()).extracting(Event::id).containsExactly(id);
    }
  }

  @Test
  void the_engine_own_event_types_cannot_be_appended() {
    assertThatThrownBy(() -> new NewEvent(EventType.CONSUME, Instant.EPOCH, "alice", Map.of()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("consume");
  }
}
