package io.quotient.storage;

import io.quotient.InvalidArgumentException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on one PostgreSQL {@code NOTIFY} channel, on a connection of its own, for a cache that
 * may keep what it read only while it hears every change, and says whether the cache may be
 * trusted right now.
 *
 * <h2>Why a keep-alive</h2>
 *
 * A listening connection that is half-open (a network partition, a frozen peer, a firewall that
 * dropped the flow) delivers no notifications and raises no error: it looks exactly like a quiet
 * database. So the listener makes a round trip on the connection every {@code keepAlive}; a round
 * trip that returns proves every notification committed before it was sent has been delivered
 * (PostgreSQL sends them ahead of the answer). The cache is {@linkplain #isTrusted() trusted} only
 * while the last such proof is younger than {@code maxAge}; otherwise it must read through. A
 * stalled round trip also fails after {@code maxAge} (the connection's network timeout), and the
 * listener reconnects.
 *
 * <h2>What the handler hears</h2>
 *
 * {@link Handler#changed} for every notification, and {@link Handler#reset} whenever anything may
 * have been missed: on every (re)connection, on every loss, and when trust lapsed between two
 * round trips. Both are called on the listener's thread and must be fast.
 *
 * <p>Thread-safe.
 */
public final class ChangeListener implements AutoCloseable {
  /** The keep-alive interval when none is given. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(1);
  /** The maximum age of trust when none is given. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(3);
  /** The round trip; named so that operators (and tests) recognise it in {@code pg_stat_activity}. */
  static final String KEEP_ALIVE_SQL = "SELECT 1 AS quotient_keep_alive";

  private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(1);
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChangeListener.class);

  /** What a cache does with what the listener hears. */
  public interface Handler {
    /** A notification arrived with {@code payload} (empty when none was sent). */
    void changed(String payload);

    /** Anything may have changed unheard: drop everything. */
    void reset();
  }

  private final DataSource dataSource;
  private final String channel;
  private final Handler handler;
  private final long keepAliveMillis;
  private final long maxAgeNanos;
  private final Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  /** {@link System#nanoTime()} when the last proven round trip was sent; valid while {@link #connected}. */
  private volatile long syncedAt;
  private volatile boolean connected;
  private volatile boolean closed;

  private ChangeListener(DataSource dataSource, String channel, Handler handler, Duration keepAlive, Duration maxAge) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    InvalidArgumentException.require(channel != null && CHANNEL.matcher(channel).matches(), "channel",
        "must be a lower-case SQL identifier");
    this.channel = channel;
    this.handler = Objects.requireNonNull(handler, "handler");
    InvalidArgumentException.require(keepAlive != null && keepAlive.toMillis() >= 1, "keepAlive", "must be at least 1 ms");
    InvalidArgumentException.require(maxAge != null && maxAge.compareTo(keepAlive) > 0, "maxAge", "must be longer than keepAlive");
    this.keepAliveMillis = keepAlive.toMillis();
    this.maxAgeNanos = maxAge.toNanos();
    this.thread = Thread.ofPlatform().name("quotient-listen-" + channel).daemon(true).unstarted(this::run);
  }

  /** Starts listening on {@code channel} with the default keep-alive (1 s) and maximum age (3 s). */
  public static ChangeListener start(DataSource dataSource, String channel, Handler handler) {
    return start(dataSource, channel, handler, DEFAULT_KEEP_ALIVE, DEFAULT_MAX_AGE);
  }

  /**
   * Starts listening on {@code channel}, on one connection of {@code dataSource} held until
   * {@link #close()}.
   *
   * @param keepAlive how often a round trip proves the connection alive
   * @param maxAge how long a proof is trusted; longer than {@code keepAlive}. It bounds how long a
   *     change can go unseen when the connection silently stops delivering.
   */
  public static ChangeListener start(
      DataSource dataSource, String channel, Handler handler, Duration keepAlive, Duration maxAge) {
    ChangeListener listener = new ChangeListener(dataSource, channel, handler, keepAlive, maxAge);
    listener.thread.start();
    return listener;
  }

  /**
   * True when every change committed more than {@code maxAge} ago has been handed to the handler:
   * the connection is up and a keep-alive round trip sent less than {@code maxAge} ago returned.
   * A cache keeps and serves what it read only while this is true.
   */
  public boolean isTrusted() {
    return connected && System.nanoTime() - syncedAt <= maxAgeNanos;
  }

  private void run() {
    while (!closed) {
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        connection.setAutoCommit(true);
        PGConnection postgres = connection.unwrap(PGConnection.class);
        int networkTimeout = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(maxAgeNanos));
        long sent = System.nanoTime();
        connection.setNetworkTimeout(Runnable::run, networkTimeout);
        statement.execute("LISTEN " + channel);
        handler.reset(); // whatever was held before this LISTEN may have changed unheard
        syncedAt = sent;
        connected = true;
        while (!closed) {
          deliver(postgres.getNotifications((int) keepAliveMillis));
          sent = System.nanoTime();
          // Reading the notifications changes the socket's timeout: set it again for the round trip.
          connection.setNetworkTimeout(Runnable::run, networkTimeout);
          statement.execute(KEEP_ALIVE_SQL);
          deliver(postgres.getNotifications());
          if (sent - syncedAt > maxAgeNanos) {
            handler.reset(); // trust lapsed since the last proof: drop what was held meanwhile
          }
          syncedAt = sent;
        }
        statement.execute("UNLISTEN " + channel); // the connection may go back to a pool
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.warn("lost the listener on {}; caches read through until it is back", channel, e);
        }
      } finally {
        connected = false;
        handler.reset();
      }
      if (!closed) {
        try {
          if (closing.await(RECONNECT_BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void deliver(PGNotification[] notifications) {
    if (notifications == null) {
      return;
    }
    for (PGNotification notification : notifications) {
      String payload = notification.getParameter();
      handler.changed(payload == null ? "" : payload);
    }
  }

  /** Stops listening; waits a few seconds for the connection to be given back. */
  @Override
  public void close() {
    closed = true;
    connected = false;
    closing.countDown();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
