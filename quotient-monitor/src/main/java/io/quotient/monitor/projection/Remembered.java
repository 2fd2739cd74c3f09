package io.quotient.monitor.projection;

import io.quotient.feed.FeedCursor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler keeps in memory of rows only it writes, between its batches, so that it does not
 * read them again at every batch: a bounded map, trusted only while this instance handles
 * consecutive batches.
 *
 * <p><b>Exact.</b> A projection's steps run one at a time whatever the number of instances, so rows
 * only its handler writes hold, once a batch has committed, what the handler left here. Whether
 * that batch committed, and whether another instance handled a batch since, shows when the next
 * batch begins: its {@link Batch#after()} is the last batch's {@link Batch#until()} only then.
 * {@link #begin} forgets everything otherwise; a batch that fails before {@link #end} leaves
 * nothing to trust either. At most {@code capacity} entries are kept, the least recently used
 * dropped (the handler reads them again when they come back).
 *
 * <p>Thread-safe (a projection's steps may run on its thread or on a caller's, one at a time).
 *
 * @param <K> the rows' key
 * @param <V> what the handler keeps of a row
 */
public final class Remembered<K, V> {
  private final Map<K, V> entries;
  private FeedCursor until;

  /** Keeps at most {@code capacity} entries. */
  public Remembered(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.entries = Bounded.map(capacity, true);
  }

  /** Call when a batch begins: forgets everything unless it follows the last batch that reached {@link #end}. */
  public synchronized void begin(Batch batch) {
    if (until == null || !until.equals(batch.after())) {
      entries.clear();
    }
    until = null;
  }

  /** Call when the handler is done with a batch (it commits next); what is kept then holds once it has. */
  public synchronized void end(Batch batch) {
    until = batch.until();
  }

  /**
   * Puts what is remembered of {@code keys} into {@code into} and returns, in order, the keys of
   * which nothing is (the handler reads those).
   */
  public synchronized List<K> recall(Collection<K> keys, Map<K, V> into) {
    List<K> unknown = new ArrayList<>();
    for (K key : keys) {
      V known = entries.get(key);
      if (known != null) {
        into.put(key, known);
      } else {
        unknown.add(key);
      }
    }
    return unknown;
  }

  /** Keeps {@code value} for {@code key}'s row, as read or as this batch writes it. */
  public synchronized void put(K key, V value) {
    entries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }
}
