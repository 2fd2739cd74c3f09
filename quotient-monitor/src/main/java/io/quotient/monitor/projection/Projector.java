package io.quotient.monitor.projection;

import io.quotient.InvalidArgumentException;
import io.quotient.StorageException;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.NewEvent;
import io.quotient.feed.FeedCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs projections of the feed, each exactly once per event whatever the number of instances.
 *
 * <p><b>Exactly once.</b> A step of a projection is one transaction: claim the projection's row in
 * {@code monitor_projections} with {@code SELECT … FOR UPDATE SKIP LOCKED} (an instance that finds
 * it claimed skips the step: another is on it), read the pages of the feed after the row's cursor
 * (on that same connection, or from the {@link RecentPages} another projection read) until nothing
 * more is final or the step is full, hand them to the handler as one batch (which writes on that
 * connection), move the cursor past them, commit. The cursor and the handler's writes commit
 * together or not at all, so a crash at any point leaves the batch to be handled again from the old
 * cursor, and no two instances ever hold the row at once. Events appended by the handler commit
 * with it too.
 *
 * <p><b>Waking.</b> Each projection runs on a virtual thread of its own that, once caught up,
 * sleeps until the engine commits something (its commit signal) or the poll interval passes (for
 * what other engine instances commit), and after a failed step for a pause before trying again.
 * After a step that handled events and caught up it lets at least the
 * {@linkplain Pace#linger() linger} pass (from the step's start) before the next: a step is a
 * transaction with a durable commit, and under load the engine commits hundreds of times a second;
 * stepping on every one of them cost the engine a third of its throughput per projection (measured
 * with a projection that does nothing), while one step per linger handles the same events in one
 * transaction. A {@link Projection.Cadence#ROLLUP rollup} projection lingers longer
 * ({@linkplain Pace#rollupLinger() rollup linger}): it writes a row per subject it sees in a step,
 * so the more of a subject's events one step folds, the fewer rows it writes per event (on 10,000
 * subjects under load, a second's steps instead of 50 ms' took the monitor from half the engine's
 * throughput to about two thirds of it). A quiet feed's first event is still handled at once.
 *
 * <p>Thread-safe.
 */
public final class Projector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Projector.class);

  /** The outcome of one {@link #step}. */
  public enum Outcome {
    /** A full step was handled: more may follow at once. */
    HANDLED,
    /** Everything final in the feed has been handled. */
    CAUGHT_UP,
    /** Another instance (or thread) holds the projection's row. */
    BUSY
  }

  private final Quotient engine;
  private final DataSource dataSource;
  private final Clock clock;
  private final long pollNanos;
  private final long lingerNanos;
  private final long rollupLingerNanos;
  private final int stepEvents;
  private final int pageSize;
  private final Consumer<NewEvent> appended;
  private final Map<String, Runner> runners = new LinkedHashMap<>();
  private final RecentPages recentPages = new RecentPages(32);
  private AutoCloseable wakeHandle;
  private volatile boolean closed;

  /**
   * How a projector paces its steps.
   *
   * @param pollInterval how often a caught-up projection looks for what other instances committed
   * @param linger for a {@link Projection.Cadence#LIVE live} projection, after a step that handled
   *     events and caught up, the least time from its start to the next step's (zero: step on every
   *     commit); under load a projection lags the feed by about this much at most
   * @param rollupLinger the same for a {@link Projection.Cadence#ROLLUP rollup} projection
   * @param stepEvents the most events one step handles, 1 to {@value #MAX_STEP_EVENTS} (read in pages of
   *     up to {@value EventQuery#MAX_LIMIT}; a step may pass it by less than a page)
   */
  public record Pace(Duration pollInterval, Duration linger, Duration rollupLinger, int stepEvents) {
    /** The most events a step may be asked to handle. */
    public static final int MAX_STEP_EVENTS = 100_000;

    public Pace {
      InvalidArgumentException.require(
          pollInterval != null && !pollInterval.isNegative() && !pollInterval.isZero(), "pollInterval", "must be positive");
      InvalidArgumentException.require(linger != null && !linger.isNegative(), "linger", "must not be negative");
      InvalidArgumentException.require(rollupLinger != null && !rollupLinger.isNegative(), "rollupLinger", "must not be negative");
      InvalidArgumentException.require(
          stepEvents >= 1 && stepEvents <= MAX_STEP_EVENTS, "stepEvents", "must be between 1 and " + MAX_STEP_EVENTS);
    }
  }

  /**
   * A projector on the engine's database.
   *
   * @param pace how often it steps and how much each step handles
   * @param appended told about every event a handler appended, after its commit (for metrics)
   */
  public Projector(Quotient engine, DataSource dataSource, Clock clock, Pace pace, Consumer<NewEvent> appended) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(pace, "pace");
    this.pollNanos = pace.pollInterval().toNanos();
    this.lingerNanos = pace.linger().toNanos();
    this.rollupLingerNanos = pace.rollupLinger().toNanos();
    this.stepEvents = pace.stepEvents();
    this.pageSize = Math.min(stepEvents, EventQuery.MAX_LIMIT);
    this.appended = Objects.requireNonNull(appended, "appended");
  }

  /** Registers {@code projection}, creating its row where it has none. Call before {@link #start}. */
  public synchronized void add(Projection projection) {
    Objects.requireNonNull(projection, "projection");
    InvalidArgumentException.require(!runners.containsKey(projection.name()), "name", "projection " + projection.name() + " is already added");
    createRow(projection);
    runners.put(projection.name(), new Runner(projection));
  }

  /** Starts a thread per projection. */
  public synchronized void start() {
    wakeHandle = engine.onFeedCommit(this::wakeAll);
    for (Runner runner : runners.values()) {
      runner.thread.start();
    }
  }

  /**
   * Handles one page of {@code name}'s feed now, on this thread (the background thread does the
   * same; they exclude each other through the row lock).
   */
  public Outcome step(String name) {
    Runner runner = runners.get(name);
    InvalidArgumentException.require(runner != null, "name", "no projection " + name);
    return step(runner);
  }

  /**
   * Returns once every projection has handled every event committed before the call (by this
   * instance or another), or throws after {@code bound} (with the last failed step's exception as
   * the cause, if any). A failed step is tried again, as the background thread would. For tests
   * and orderly hand-overs.
   */
  public void catchUp(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    FeedCursor target = new FeedCursor(end(), 0);
    for (Runner runner : runners.values()) {
      RuntimeException failure = null;
      while (cursor(runner.projection.name()).compareTo(target) < 0 && runner.reached.compareTo(target) < 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("projection " + runner.projection.name() + " did not catch up within " + bound, failure);
        }
        Outcome outcome;
        try {
          outcome = step(runner);
        } catch (RuntimeException e) {
          failure = e;
          outcome = Outcome.BUSY;
        }
        if (outcome == Outcome.BUSY) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
      }
    }
  }

  /** The position of {@code name}'s cursor, as committed. */
  public FeedCursor cursor(String name) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT cursor_tx, cursor_id FROM monitor_projections WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        InvalidArgumentException.require(rs.next(), "name", "no projection " + name);
        return new FeedCursor(rs.getLong(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw new StorageException("could not read projection " + name + ": " + e.getMessage(), e);
    }
  }

  /** Stops the threads, waiting for a step in progress to finish. Later calls do nothing. */
  @Override
  public void close() {
    List<Runner> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(runners.values());
    }
    if (wakeHandle != null) {
      try {
        wakeHandle.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    for (Runner runner : all) {
      LockSupport.unpark(runner.thread);
    }
    for (Runner runner : all) {
      try {
        runner.thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void wakeAll() {
    for (Runner runner : runners.values()) {
      runner.woken = true;
      if (!runner.lingering) { // a lingering runner reads woken when its linger ends
        LockSupport.unpark(runner.thread);
      }
    }
  }

  private Outcome step(Runner runner) {
    String name = runner.projection.name();
    List<NewEvent> added;
    Outcome outcome;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        FeedCursor cursor = claim(c, name);
        if (cursor == null) {
          c.rollback();
          return Outcome.BUSY;
        }
        EventPage page = read(c, cursor);
        runner.handledLastStep = !page.events().isEmpty();
        if (page.events().isEmpty()) {
          c.rollback(); // nothing to handle: leave the row as it is (no write per poll)
          runner.reached = runner.reached.max(page.nextCursor());
          return Outcome.CAUGHT_UP;
        }
        Batch batch = new Batch(name, c, page.events(), clock.instant(), engine, cursor, page.nextCursor());
        runner.projection.handler().handle(batch);
        move(c, name, page.nextCursor(), page.events().size(), batch.now());
        c.commit();
        added = batch.appended();
        runner.reached = runner.reached.max(page.nextCursor());
        outcome = page.events().size() >= stepEvents ? Outcome.HANDLED : Outcome.CAUGHT_UP;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("projection " + name + " failed: " + e.getMessage(), e);
    }
    if (!added.isEmpty()) {
      engine.feedChanged();
      added.forEach(appended);
    }
    return outcome;
  }

  /**
   * The events of one step after {@code cursor}, page by page until the step is full or a page read
   * now comes back short (nothing more is final). A short page another projection read earlier
   * does not end the step: more may have become final since.
   */
  private EventPage read(Connection c, FeedCursor cursor) throws SQLException {
    List<Event> events = new ArrayList<>();
    FeedCursor next = cursor;
    while (true) {
      FeedCursor from = next;
      RecentPages.Page read = recentPages.after(from, () -> engine.events(c, new EventQuery(null, null, from, pageSize)));
      List<Event> page = read.page().events();
      if (page.isEmpty()) {
        // Nothing at all: the empty page's cursor tells how far the feed is final (see catchUp).
        return events.isEmpty() ? read.page() : new EventPage(events, next);
      }
      events.addAll(page);
      next = read.page().nextCursor();
      if (events.size() >= stepEvents || (read.fresh() && page.size() < pageSize)) {
        return new EventPage(events, next);
      }
    }
  }

  private static FeedCursor claim(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT cursor_tx, cursor_id FROM monitor_projections WHERE name = ? FOR UPDATE SKIP LOCKED")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new FeedCursor(rs.getLong(1), rs.getLong(2)) : null;
      }
    }
  }

  private static void move(Connection c, String name, FeedCursor to, int handled, java.time.Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE monitor_projections SET cursor_tx = ?, cursor_id = ?, handled = handled + ?, updated_at = ? WHERE name = ?")) {
      ps.setLong(1, to.tx());
      ps.setLong(2, to.id());
      ps.setLong(3, handled);
      ps.setObject(4, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
      ps.setString(5, name);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("projection " + name + " lost its row while holding its lock");
      }
    }
  }

  private void createRow(Projection projection) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO monitor_projections (name, cursor_tx, cursor_id, updated_at)"
                    + " SELECT ?, CASE WHEN ? THEN pg_snapshot_xmin(pg_current_snapshot())::text::bigint ELSE 0 END, 0, ?"
                    + " ON CONFLICT (name) DO NOTHING")) {
      // NOW: the feed's horizon (every event below it is final); what commits later comes after it.
      ps.setString(1, projection.name());
      ps.setBoolean(2, projection.start() == Projection.Start.NOW);
      ps.setObject(3, java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("could not create projection " + projection.name() + ": " + e.getMessage(), e);
    }
  }

  /** Every transaction that has ended so far has a lower id than this. */
  private long end() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_snapshot_xmax(pg_current_snapshot())::text");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    } catch (SQLException e) {
      throw new StorageException("could not read the feed's head: " + e.getMessage(), e);
    }
  }

  private final class Runner {
    final Projection projection;
    final Thread thread;
    volatile boolean woken;
    volatile FeedCursor reached = FeedCursor.beginning();
    /** Whether the last step handled events (an empty look is not followed by a linger). */
    volatile boolean handledLastStep;
    /** Whether it is waiting out a linger (commits then only set woken, they do not unpark it). */
    volatile boolean lingering;

    Runner(Projection projection) {
      this.projection = projection;
      this.thread = Thread.ofVirtual().name("quotient-projection-" + projection.name()).unstarted(this::run);
    }

    private long lingerNanos() {
      return projection.cadence() == Projection.Cadence.ROLLUP ? rollupLingerNanos : lingerNanos;
    }

    private void run() {
      long pauseNanos = Math.max(pollNanos, TimeUnit.SECONDS.toNanos(1));
      while (!closed) {
        woken = false;
        long began = System.nanoTime();
        Outcome outcome;
        try {
          outcome = step(this);
        } catch (RuntimeException e) {
          // A background worker has no caller to throw to: the step rolled back, the page comes
          // again after a pause (a database restart, a lock timeout); a bug shows here every pause.
          log.warn("projection {} failed a step; trying again in {} ms", projection.name(), pauseNanos / 1_000_000, e);
          LockSupport.parkNanos(pauseNanos);
          continue;
        }
        if (outcome == Outcome.HANDLED) {
          continue;
        }
        // Only after handling something: an empty look (a poll) must not delay the next event.
        // A commit during the linger only sets woken: unparking the thread at each of hundreds of
        // commits a second, only for it to park again, cost a no-op projection 3 points of the
        // engine's throughput.
        long linger = outcome == Outcome.CAUGHT_UP && handledLastStep ? lingerNanos() : 0;
        lingering = linger > 0;
        for (long left = linger - (System.nanoTime() - began); left > 0 && !closed; left = linger - (System.nanoTime() - began)) {
          LockSupport.parkNanos(left);
        }
        lingering = false;
        if (!woken && !closed) {
          LockSupport.parkNanos(pollNanos);
        }
      }
    }
  }
}
