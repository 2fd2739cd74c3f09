package io.quotient.feed;

import io.quotient.InvalidArgumentException;

/**
 * A position in the feed: just after the event written by transaction {@code tx} with id
 * {@code id}. The feed is ordered by (tx, id); a reader that asks for what follows a cursor gets
 * every event after it, and nothing before it, however late those events committed.
 *
 * <p>On the wire a cursor is an opaque string ({@link #toString()}, read back with
 * {@link #parse(String)}): clients pass back what they were given and never build one.
 *
 * @param tx the writing transaction's id (PostgreSQL {@code xid8}); 0 before the first event
 * @param id the event id within that transaction; 0 before the transaction's first event
 */
public record FeedCursor(long tx, long id) implements Comparable<FeedCursor> {
  private static final FeedCursor BEGINNING = new FeedCursor(0, 0);

  public FeedCursor {
    InvalidArgumentException.require(tx >= 0 && id >= 0, "after", "must be a cursor the API gave out");
  }

  /** Before every event. */
  public static FeedCursor beginning() {
    return BEGINNING;
  }

  /**
   * Reads a cursor's wire form; null or blank is the beginning. Anything else that is not a cursor
   * is refused naming the field {@code after}.
   */
  public static FeedCursor parse(String text) {
    if (text == null || text.isBlank()) {
      return BEGINNING;
    }
    int dash = text.indexOf('-');
    if (dash > 0 && dash < text.length() - 1 && digits(text, 0, dash) && digits(text, dash + 1, text.length())) {
      try {
        return new FeedCursor(Long.parseLong(text, 0, dash, 10), Long.parseLong(text, dash + 1, text.length(), 10));
      } catch (NumberFormatException e) {
        // out of range: refused below like any other text
      }
    }
    throw new InvalidArgumentException(
        "after", "must be a cursor the API gave out (an event's cursor or a page's nextCursor), was '" + shorten(text) + "'");
  }

  /** The later of two positions. */
  public FeedCursor max(FeedCursor other) {
    return compareTo(other) >= 0 ? this : other;
  }

  @Override
  public int compareTo(FeedCursor other) {
    int byTx = Long.compare(tx, other.tx);
    return byTx != 0 ? byTx : Long.compare(id, other.id);
  }

  /** The wire form, such as {@code 7391-2045}. */
  @Override
  public String toString() {
    return tx + "-" + id;
  }

  private static boolean digits(String text, int from, int to) {
    if (to - from > 19) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char ch = text.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
