package io.quotient.event;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.feed.FeedCursor;
import java.util.Objects;

/**
 * A page of the feed: committed events after a cursor, in feed order.
 *
 * @param subject only this subject's events, or null for all
 * @param type only this type, or null for all
 * @param after only events after this position (the previous page's {@code nextCursor}, or an
 *     event's cursor); {@link FeedCursor#beginning()} for everything
 * @param limit at most this many, 1 to 1000
 */
public record EventQuery(String subject, EventType type, FeedCursor after, int limit) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;

  public EventQuery {
    if (subject != null) {
      Names.requireId(subject, "subject");
    }
    Objects.requireNonNull(after, "after");
    InvalidArgumentException.require(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT);
  }

  /** The first page of everything, 100 events. */
  public static EventQuery all() {
    return new EventQuery(null, null, FeedCursor.beginning(), 100);
  }

  /** The first page of one subject's events. */
  public static EventQuery ofSubject(String subject) {
    return new EventQuery(subject, null, FeedCursor.beginning(), 100);
  }

  /** The same query from another position. */
  public EventQuery after(FeedCursor cursor) {
    return new EventQuery(subject, type, cursor, limit);
  }

  /** The same query with another page size. */
  public EventQuery limit(int value) {
    return new EventQuery(subject, type, after, value);
  }
}
