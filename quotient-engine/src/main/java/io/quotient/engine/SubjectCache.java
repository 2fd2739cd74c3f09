package io.quotient.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Subject rows (plan, anchor, plan version, whether it has grants) kept in memory so that a batch
 * need not read them, valid only while this engine hears every change to them.
 *
 * <p>Every transaction that changes a subject row or a plan sends {@code NOTIFY} on
 * {@value #CHANNEL} (delivered when it commits); a thread of this cache listens on a connection of
 * its own and drops what changed (a plan change drops everything). The engine that made a change
 * also drops it itself at once, so within one engine a change applies to the very next request;
 * other engines see it when the notification arrives, milliseconds later. Whenever the listening
 * connection is down nothing is cached. A generation counter keeps a row read before an
 * invalidation from being cached after it. Thread-safe.
 */
final class SubjectCache implements AutoCloseable {
  static final String CHANNEL = "quotient_subjects";
  /** The payload that drops every cached row (a plan changed). */
  static final String ALL = "*";

  private static final int MAX_ROWS = 1_000_000;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SubjectCache.class);

  private final DataSource dataSource;
  private final ConcurrentHashMap<String, Store.SubjectRow> rows = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final Thread listener;
  private volatile boolean listening;
  private volatile boolean closed;

  SubjectCache(DataSource dataSource) {
    this.dataSource = dataSource;
    this.listener = Thread.ofPlatform().name("quotient-subject-changes").daemon(true).start(this::listen);
  }

  /** The cached row, or null. */
  Store.SubjectRow get(String id) {
    return listening ? rows.get(id) : null;
  }

  /** The generation to pass to {@link #put} for rows read from now on. */
  long generation() {
    return generation.get();
  }

  /** Caches {@code row} unless something was invalidated since {@code seen}. */
  void put(Store.SubjectRow row, long seen) {
    if (!listening || generation.get() != seen) {
      return;
    }
    if (rows.size() >= MAX_ROWS) {
      rows.clear();
    }
    rows.put(row.id(), row);
    if (generation.get() != seen || !listening) {
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

  private void listen() {
    while (!closed) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        connection.setAutoCommit(true);
        statement.execute("LISTEN " + CHANNEL);
        PGConnection postgres = connection.unwrap(PGConnection.class);
        invalidate(ALL);
        listening = true;
        while (!closed) {
          PGNotification[] notifications = postgres.getNotifications(500);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              invalidate(notification.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.warn("lost the subject-change listener; reading subjects from the database until it is back", e);
        }
      } finally {
        listening = false;
        invalidate(ALL);
      }
      if (!closed) {
        try {
          Thread.sleep(1000); // back off before reconnecting; nothing is cached meanwhile
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** True while rows are cached. */
  boolean isListening() {
    return listening;
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
