package io.quotient.engine;

import io.quotient.storage.ChangeListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Subject rows (plan, anchor, plan version, whether it has grants) kept in memory so that a batch
 * need not read them, valid only while this engine is known to hear every change to them.
 *
 * <p>Every transaction that changes a subject row or a plan sends {@code NOTIFY} on
 * {@value #CHANNEL} (delivered when it commits); a {@link ChangeListener} of this cache listens on a
 * connection of its own and drops what changed (a plan change drops everything). The engine that
 * made a change also drops it itself at once, so within one engine a change applies to the very
 * next request; other engines see it when the notification arrives, milliseconds later. Rows are
 * kept and served only while the listener {@linkplain ChangeListener#isTrusted() is trusted}: its
 * connection is up and a keep-alive round trip proved it alive within the last few seconds, so a
 * half-open connection that silently stopped delivering cannot keep a stale row in use. A
 * generation counter keeps a row read before an invalidation from being cached after it.
 * Thread-safe.
 */
final class SubjectCache implements AutoCloseable {
  static final String CHANNEL = "quotient_subjects";
  /** The payload that drops every cached row (a plan changed). */
  static final String ALL = "*";

  private static final int MAX_ROWS = 1_000_000;

  private final ConcurrentHashMap<String, Store.SubjectRow> rows = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final ChangeListener listener;

  SubjectCache(DataSource dataSource) {
    this.listener = ChangeListener.start(dataSource, CHANNEL, new ChangeListener.Handler() {
      @Override
      public void changed(String payload) {
        invalidate(payload);
      }

      @Override
      public void reset() {
        invalidate(ALL);
      }
    });
  }

  /** The cached row, or null. */
  Store.SubjectRow get(String id) {
    return listener.isTrusted() ? rows.get(id) : null;
  }

  /** The generation to pass to {@link #put} for rows read from now on. */
  long generation() {
    return generation.get();
  }

  /** Caches {@code row} unless something was invalidated since {@code seen}. */
  void put(Store.SubjectRow row, long seen) {
    if (!listener.isTrusted() || generation.get() != seen) {
      return;
    }
    if (rows.size() >= MAX_ROWS) {
      rows.clear();
    }
    rows.put(row.id(), row);
    if (generation.get() != seen || !listener.isTrusted()) {
      rows.remove(row.id());
    }
  }

  /** Drops one subject ({@link #ALL}: every subject). */
  void invalidate(String id) {
    generation.incrementAndGet();
    if (ALL.equals(id)) {
      rows.clear();
    } else {
      rows.remove(id);
    }
  }

  /** Announces, in {@code c}'s transaction, that {@code id} ({@link #ALL}: every subject) changed. */
  static void announce(Connection c, String id) throws SQLException {
    try (var ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
      ps.setString(1, id);
      ps.execute();
    }
  }

  /** True while rows are cached (the listener is trusted). */
  boolean isListening() {
    return listener.isTrusted();
  }

  @Override
  public void close() {
    listener.close();
  }
}
