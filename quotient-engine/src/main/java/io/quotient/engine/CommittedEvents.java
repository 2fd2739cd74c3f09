package io.quotient.engine;

import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.feed.FeedCursor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The events this engine's writers committed last, by id, so that a page of the feed made of them
 * is read from PostgreSQL as ids alone, and its events are handed out as the writer built them: no
 * row decoded, no JSON parsed. Every follower of the feed (the monitor's projections, the stream)
 * reads every event; decoding and parsing the rows was most of what following the feed cost the
 * JVM (JFR, {@code bench/run monitor}).
 *
 * <p><b>Exact.</b> An event is put here only once its transaction has committed, and an event never
 * changes once committed; a page serves from here only events that its own read of the feed's ids
 * returned, so what it holds and in which order is the database's, never this cache's: nothing
 * uncommitted, purged or out of order is served. What is not here (another instance's events, an
 * older one, one whose slot a newer event took) is read from its row. An event is kept only when
 * its instant is whole microseconds, the precision PostgreSQL keeps, so that it reads back equal to
 * its row (the writers decide at such instants).
 *
 * <p>A fixed ring of slots (a power of two) indexed by id: an engine's ids come in ascending blocks,
 * so a newer event takes the slot of one a ring's length older, and nothing needs evicting.
 * Thread-safe and lock-free: the writers put, any reader gets.
 */
final class CommittedEvents {
  /**
   * Slots by default: about five seconds of a loaded engine (25,000 decisions a second on two
   * cores), which the monitor's rollup projections, stepping every three seconds, read; with a
   * ring of a second's events their pages were read as rows and the JVM's share of the monitor
   * grew by half (bench/run monitor).
   */
  static final int DEFAULT_CAPACITY = 1 << 17;

  /**
   * A committed row and its items, shared by every event built from it. The row holds a decision's
   * items, not their JSON (written at the insert), so a ring's worth held for seconds stays small.
   */
  private record Entry(Events.Row row, List<EventItem> items) {
    static Entry of(Events.Row row) {
      return new Entry(row, ItemsOnUse.decided(row.items()));
    }

    /** The event as its row reads back (see {@link Events}'s reads): no scope is the empty one, no JSON an empty object. */
    Event event(FeedCursor cursor) {
      Events.Row r = row;
      return new Event(r.id(), cursor, r.at(), r.type(), r.subject(), r.allowed(), r.reason(), r.scope() == null ? "" : r.scope(),
          r.idempotencyKey(), r.relatedEventId(), r.reservationId(), items,
          r.metadata() == null ? Map.of() : JsonReader.pairs(r.metadata()),
          r.detail() == null ? Map.of() : JsonReader.pairs(r.detail()));
    }
  }

  private final AtomicReferenceArray<Entry> slots;
  private final int mask;

  /** A ring of at least {@code capacity} slots (a power of two); none at 0. */
  CommittedEvents(int capacity) {
    int slots = capacity <= 1 ? capacity : Integer.highestOneBit(capacity - 1) << 1;
    this.slots = new AtomicReferenceArray<>(slots);
    this.mask = slots - 1;
  }

  /** Keeps {@code rows}, which have just committed. */
  void add(List<Events.Row> rows) {
    if (mask < 0) {
      return;
    }
    for (Events.Row row : rows) {
      if (row.at().getNano() % 1000 == 0) {
        slots.setRelease(slot(row.id()), Entry.of(row));
      }
    }
  }

  /** The event at {@code cursor} as its row would read, or null when it is not kept. */
  Event get(FeedCursor cursor) {
    if (mask < 0) {
      return null;
    }
    Entry entry = slots.getAcquire(slot(cursor.id()));
    if (entry == null || entry.row().id() != cursor.id()) {
      return null;
    }
    return entry.event(cursor);
  }

  private int slot(long id) {
    return (int) (id & mask);
  }
}
