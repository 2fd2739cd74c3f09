package io.quotient.monitor.projection;

import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.feed.FeedCursor;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The last few pages of the feed this projector read, by the cursor they start at, so that the
 * projections following the feed at the same pace read each page from PostgreSQL once instead of
 * once each (with three projections the reads were a third of the monitor's database time). They
 * step at the same moments (the same commit wakes them all), so a projection asking for a page
 * that another is reading waits for that read instead of making its own.
 *
 * <p>Sharing is exact because a page holds only final events: every event between its start and
 * its {@code nextCursor} had committed when it was read, and none can commit there later. A page
 * read when fewer events were final is shorter, never different: the projection that reuses it
 * handles the rest in its next step, as it would have had it read the page itself at that moment.
 *
 * <p>Projections that drift apart (each lingers from its own step) read pages that start at
 * different cursors but hold the same events. Those events are handed out as the instances read
 * first, kept by id for the last {@value #EVENTS_PER_PAGE} × capacity of them, so that what an event
 * parses on use (its items, for every projection that looks at them) is parsed once, not once per
 * projection (JFR under {@code bench/run http}: parsing items was a fifth of the projections' CPU).
 * An event never changes once final, so any instance of it is as good as another.
 *
 * <p>Thread-safe.
 */
final class RecentPages {
  /** Events kept by id per page kept. */
  static final int EVENTS_PER_PAGE = 1024;

  /** Reads a page from the database. */
  @FunctionalInterface
  interface Read {
    EventPage read() throws SQLException;
  }

  private final Map<FeedCursor, CompletableFuture<EventPage>> pages;
  private final Map<Long, Event> events;

  RecentPages(int capacity) {
    this.pages = Bounded.map(capacity, true);
    this.events = Bounded.map(capacity * EVENTS_PER_PAGE, false);
  }

  /**
   * A page handed out.
   *
   * @param fresh whether this call read it from the database: a fresh page shorter than asked
   *     for holds everything final after its start, while a kept one may have been read earlier,
   *     when less was final
   */
  record Page(EventPage page, boolean fresh) {}

  /**
   * The page that starts after {@code cursor}: one kept or being read by another projection, else
   * {@code read}'s (kept for the others unless empty). When the read another projection was making
   * fails, this one reads for itself.
   */
  Page after(FeedCursor cursor, Read read) throws SQLException {
    CompletableFuture<EventPage> mine = new CompletableFuture<>();
    CompletableFuture<EventPage> theirs;
    synchronized (this) {
      theirs = pages.putIfAbsent(cursor, mine);
    }
    if (theirs != null) {
      try {
        return new Page(theirs.join(), false);
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        return new Page(shared(read.read()), true); // their transaction failed; ours may not
      }
    }
    EventPage page;
    try {
      page = shared(read.read());
    } catch (SQLException | RuntimeException e) {
      forget(cursor, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    if (page.events().isEmpty()) {
      forget(cursor, mine); // nothing final yet: the next read must look again
    }
    mine.complete(page);
    return new Page(page, true);
  }

  /** {@code page} with each event already handed out replaced by that instance. */
  private EventPage shared(EventPage page) {
    List<Event> read = page.events();
    List<Event> shared = null;
    synchronized (this) {
      for (int i = 0; i < read.size(); i++) {
        Event known = events.putIfAbsent(read.get(i).id(), read.get(i));
        if (known != null) {
          if (shared == null) {
            shared = new ArrayList<>(read);
          }
          shared.set(i, known);
        }
      }
    }
    return shared == null ? page : new EventPage(shared, page.nextCursor());
  }

  private synchronized void forget(FeedCursor cursor, CompletableFuture<EventPage> page) {
    pages.remove(cursor, page);
  }
}
