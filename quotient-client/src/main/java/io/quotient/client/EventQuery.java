package io.quotient.client;

import java.util.Objects;

/**
 * Which events {@code GET /v1/events} answers: a page of at most {@code limit} events after the
 * cursor {@code after}, in feed order, optionally of one subject and one type. To follow the feed,
 * ask again with each page's {@code nextCursor} (always present).
 *
 * @param subject only this subject's events; null for every subject
 * @param type only events of this type ({@code consume}, {@code refund}, {@code reserve}, …); null for all
 * @param after the cursor: a page's {@code nextCursor}, or an event's {@code cursor} to resume right
 *     after it; null for the beginning
 * @param limit at most this many events, 1 to 1000; null for the server's default (100)
 */
public record EventQuery(String subject, String type, String after, Integer limit) {

  /** Every event from the beginning, in pages of the server's default size. */
  public static EventQuery all() {
    return new EventQuery(null, null, null, null);
  }

  /** Every event of {@code subject} from the beginning. */
  public static EventQuery ofSubject(String subject) {
    return new EventQuery(Objects.requireNonNull(subject, "subject"), null, null, null);
  }

  /** This query, only events of {@code type}. */
  public EventQuery withType(String type) {
    return new EventQuery(subject, type, after, limit);
  }

  /** This query, after the cursor {@code after} (a page's {@code nextCursor}, or an event's {@code cursor}). */
  public EventQuery after(String after) {
    return new EventQuery(subject, type, after, limit);
  }

  /** This query, pages of at most {@code limit}. */
  public EventQuery withLimit(int limit) {
    return new EventQuery(subject, type, after, limit);
  }
}
