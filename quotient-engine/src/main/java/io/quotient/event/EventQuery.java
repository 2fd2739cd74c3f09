package io.quotient.event;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;

/**
 * A page of events, oldest first.
 *
 * @param subject only this subject's events, or null for all
 * @param type only this type, or null for all
 * @param after only events with an id greater than this (the previous page's cursor), or 0
 * @param limit at most this many, 1 to 1000
 */
public record EventQuery(String subject, EventType type, long after, int limit) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;

  public EventQuery {
    if (subject != null) {
      Names.requireId(subject, "subject");
    }
    InvalidArgumentException.require(after >= 0, "after", "must be 0 or more");
    InvalidArgumentException.require(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT);
  }

  /** The first page of everything, 100 events. */
  public static EventQuery all() {
    return new EventQuery(null, null, 0, 100);
  }

  /** The first page of one subject's events. */
  public static EventQuery ofSubject(String subject) {
    return new EventQuery(subject, null, 0, 100);
  }
}
