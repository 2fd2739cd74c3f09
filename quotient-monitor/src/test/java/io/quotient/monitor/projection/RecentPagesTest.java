package io.quotient.monitor.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Projections asking for the same page read it once; an empty or failed read is not shared. */
class RecentPagesTest {
  private static final FeedCursor START = new FeedCursor(100, 7);
  private static final AtomicLong ids = new AtomicLong(8);

  /** A page of {@code events} events never read before. */
  private static EventPage page(int events) {
    List<Event> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      list.add(event(ids.getAndIncrement()));
    }
    return new EventPage(list, new FeedCursor(100, ids.get()));
  }

  private static Event event(long id) {
    return new Event(id, new FeedCursor(100, id), Instant.EPOCH, EventType.CONSUME, "s", true, null, null, null,
        null, null, List.of(), Map.of(), Map.of());
  }

  @Test
  void projections_asking_for_a_page_while_it_is_read_wait_for_that_read() throws Exception {
    RecentPages pages = new RecentPages(4);
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    EventPage read = page(3);
    List<EventPage> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread first = Thread.ofVirtual().start(() -> got.add(call(pages, () -> {
      reads.incrementAndGet();
      reading.countDown();
      await(release);
      return read;
    })));
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
    List<Thread> others = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      others.add(Thread.ofVirtual().start(() -> got.add(call(pages, () -> {
        reads.incrementAndGet();
        return page(3);
      }))));
    }
    Thread.sleep(100);
    release.countDown();
    first.join();
    for (Thread t : others) {
      t.join();
    }
    assertThat(reads).hasValue(1);
    assertThat(got).hasSize(9).allSatisfy(p -> assertThat(p).isSameAs(read));
    // Kept for a projection that comes later, too.
    RecentPages.Page kept = pages.after(START, () -> page(5));
    assertThat(kept.page()).isSameAs(read);
    assertThat(kept.fresh()).as("taken from the pages kept, not read").isFalse();
  }

  @Test
  void an_empty_page_is_read_again_and_a_failed_read_is_made_again_by_the_next_projection() throws Exception {
    RecentPages pages = new RecentPages(4);
    assertThat(pages.after(START, () -> page(0)).page().events()).isEmpty();
    EventPage later = page(2);
    RecentPages.Page again = pages.after(START, () -> later);
    assertThat(again.page()).isSameAs(later);
    assertThat(again.fresh()).isTrue();

    FeedCursor elsewhere = new FeedCursor(200, 0);
    assertThatThrownBy(() -> pages.after(elsewhere, () -> {
      throw new SQLException("connection lost");
    })).isInstanceOf(SQLException.class);
    EventPage retried = page(1);
    assertThat(pages.after(elsewhere, () -> retried).page()).isSameAs(retried);
  }

  @Test
  void only_the_last_pages_are_kept() throws Exception {
    RecentPages pages = new RecentPages(2);
    List<EventPage> read = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      EventPage page = page(1);
      read.add(page);
      pages.after(new FeedCursor(i, 0), () -> page);
    }
    assertThat(pages.after(new FeedCursor(2, 0), () -> page(1)).page()).as("the newest is kept").isSameAs(read.get(2));
    EventPage fresh = page(1);
    assertThat(pages.after(new FeedCursor(0, 0), () -> fresh).page()).as("the oldest was dropped").isSameAs(fresh);
  }

  @Test
  void pages_that_start_at_different_cursors_hand_out_the_instances_of_their_common_events_read_first() throws Exception {
    RecentPages pages = new RecentPages(4);
    long first = ids.getAndAdd(3);
    EventPage early = new EventPage(List.of(event(first), event(first + 1)), new FeedCursor(100, first + 1));
    assertThat(pages.after(new FeedCursor(100, first - 1), () -> early).page()).isSameAs(early);
    // A projection that lingered reads from one event further: the event it has in common is the
    // instance read first (whose items parse once), the new one its own.
    Event newer = event(first + 2);
    EventPage late = pages.after(new FeedCursor(100, first), () -> new EventPage(
        List.of(event(first + 1), newer), new FeedCursor(100, first + 2))).page();
    assertThat(late.events().get(0)).isSameAs(early.events().get(1));
    assertThat(late.events().get(1)).isSameAs(newer);
    assertThat(late.nextCursor()).isEqualTo(new FeedCursor(100, first + 2));
  }

  private static EventPage call(RecentPages pages, RecentPages.Read read) {
    try {
      return pages.after(START, read).page();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
