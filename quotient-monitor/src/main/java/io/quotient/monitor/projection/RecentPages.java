package io.quotient.monitor.projection;

import io.quotient.event.EventPage;
import io.quotient.feed.FeedCursor;
import java.sql.SQLException;
import java.util.LinkedHashMap;
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
 * <p>Thread-safe.
 */
final class RecentPages {
  /** Reads a page from the database. */
  @FunctionalInterface
  interface Read {
    EventPage read() throws SQLException;
  }

  private final Map<FeedCursor, CompletableFuture<EventPage>> pages;

  RecentPages(int capacity) {
    this.pages = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<FeedCursor, CompletableFuture<EventPage>> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The page that starts after {@code cursor}: one kept or being read by another projection, else
   * {@code read}'s (kept for the others unless empty). When the read another projection was making
   * fails, this one reads for itself.
   */
  EventPage after(FeedCursor cursor, Read read) throws SQLException {
    CompletableFuture<EventPage> mine = new CompletableFuture<>();
    CompletableFuture<EventPage> theirs;
    synchronized (this) {
      theirs = pages.putIfAbsent(cursor, mine);
    }
    if (theirs != null) {
      try {
        return theirs.join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        return read.read(); // their transaction failed; ours may not
      }
    }
    EventPage page;
    try {
      page = read.read();
    } catch (SQLException | RuntimeException e) {
      forget(cursor, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    if (page.events().isEmpty()) {
      forget(cursor, mine); // nothing final yet: the next read must look again
    }
    mine.complete(page);
    return page;
  }

  private synchronized void forget(FeedCursor cursor, CompletableFuture<EventPage> page) {
    pages.remove(cursor, page);
  }
}
