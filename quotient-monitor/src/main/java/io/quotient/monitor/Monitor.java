package io.quotient.monitor;

import io.quotient.InvalidArgumentException;
import io.quotient.StorageException;
import io.quotient.engine.Quotient;
import io.quotient.event.NewEvent;
import io.quotient.monitor.alert.Alerts;
import io.quotient.monitor.analytics.Analytics;
import io.quotient.monitor.projection.Projection;
import io.quotient.monitor.projection.Projector;
import io.quotient.storage.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The monitor of one instance: migrates its tables (their own Flyway history,
 * {@code flyway_monitor_history}, from {@code db/monitor}), runs its projections of the feed (the
 * threshold alerts, the analytics rollups, and those added with {@link Builder#projection}), and stops them. Several instances on one database share the work: each projection's events are
 * handled once in all.
 *
 * <p>Thread-safe. Close it before the engine and the database it reads.
 */
public final class Monitor implements AutoCloseable {
  private final Projector projector;
  private final Alerts alerts;
  private final Analytics analytics;

  private Monitor(Projector projector, Alerts alerts, Analytics analytics) {
    this.projector = projector;
    this.alerts = alerts;
    this.analytics = analytics;
  }

  /** Starts building a monitor of {@code engine}'s feed in {@code database} (the engine's). */
  public static Builder builder(Quotient engine, Database database) {
    return new Builder(engine, database.dataSource(), database.schema());
  }

  /** Starts building a monitor on a data source of the engine's database ({@code schema} null: the default). */
  public static Builder builder(Quotient engine, DataSource dataSource, String schema) {
    return new Builder(engine, dataSource, schema);
  }

  /** Brings the monitor's tables in {@code schema} (null: the default) up to date. */
  public static void migrate(DataSource dataSource, String schema) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .schemas(schema == null ? new String[0] : new String[] {schema})
          .table("flyway_monitor_history")
          .locations("classpath:db/monitor")
          // The engine's tables are already in the schema: start this history beside them.
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StorageException("could not migrate the monitor's tables: " + e.getMessage(), e);
    }
  }

  /** The alert rules and alerts. */
  public Alerts alerts() {
    return alerts;
  }

  /** The analytics: rollups kept from the feed and the answers read from them. */
  public Analytics analytics() {
    return analytics;
  }

  /** The projections' runner. */
  public Projector projector() {
    return projector;
  }

  /**
   * Returns once every projection has handled every event committed before the call, or throws
   * after {@code bound}.
   */
  public void catchUp(Duration bound) {
    projector.catchUp(bound);
  }

  /** Stops the projections (a step in progress finishes). */
  @Override
  public void close() {
    projector.close();
  }

  /** Builds and starts a {@link Monitor}. Not thread-safe. */
  public static final class Builder {
    private final Quotient engine;
    private final DataSource dataSource;
    private final String schema;
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval = Duration.ofMillis(250);
    private Duration linger = Duration.ofMillis(50);
    private Duration rollupLinger = Duration.ofSeconds(3);
    private int stepEvents = Projector.Pace.MAX_STEP_EVENTS;
    private final List<Projection> projections = new ArrayList<>();
    private Consumer<NewEvent> appended = event -> {};

    private Builder(Quotient engine, DataSource dataSource, String schema) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.schema = schema;
    }

    /** The clock alerts and signals are timed with (the engine's, normally). Default: the system's UTC clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * How often a caught-up projection looks for what other engine instances committed (this
     * engine's commits wake it at once). Default 250 ms.
     */
    public Builder pollInterval(Duration value) {
      InvalidArgumentException.require(value != null && value.toMillis() > 0, "pollInterval", "must be at least 1 ms");
      this.pollInterval = value;
      return this;
    }

    /**
     * How long a projection waits, from the start of a step that handled events and caught up,
     * before its next step: under load one step then handles every engine commit of this span in
     * one transaction, instead of a transaction per commit (zero). Alerts, signals and webhooks lag
     * the feed by up to this much under load; a quiet feed's first event is handled at once.
     * Default 50 ms.
     */
    public Builder linger(Duration value) {
      InvalidArgumentException.require(value != null && !value.isNegative(), "linger", "must not be negative");
      this.linger = value;
      return this;
    }

    /**
     * How long a projection that keeps per-subject rows (the analytics rollups, the signals' marks
     * and rollups) waits between steps under load, as {@link #linger} does for the others: the
     * longer, the more of a subject's events one row write folds, and the staler the analytics and
     * the later a signal. Default 1 s.
     */
    public Builder rollupLinger(Duration value) {
      InvalidArgumentException.require(value != null && !value.isNegative(), "rollupLinger", "must not be negative");
      this.rollupLinger = value;
      return this;
    }

    /**
     * The most events one projection step handles in one transaction, 1 to 100,000 (read in pages
     * of up to 1,000). Default 100,000, so that a rollup step under load is ended by its linger.
     */
    public Builder stepEvents(int value) {
      InvalidArgumentException.require(
          value >= 1 && value <= Projector.Pace.MAX_STEP_EVENTS, "stepEvents", "must be between 1 and " + Projector.Pace.MAX_STEP_EVENTS);
      this.stepEvents = value;
      return this;
    }

    /** Adds a projection of its own (webhooks, signals) to run beside the monitor's. */
    public Builder projection(Projection value) {
      projections.add(Objects.requireNonNull(value, "projection"));
      return this;
    }

    /** Told about each event the projections append to the feed, after it commits (metrics). Must be cheap. */
    public Builder onAppended(Consumer<NewEvent> value) {
      this.appended = Objects.requireNonNull(value, "onAppended");
      return this;
    }

    /** Migrates the monitor's tables and starts its projections. */
    public Monitor start() {
      migrate(dataSource, schema);
      Projector projector = new Projector(engine, dataSource, clock, new Projector.Pace(pollInterval, linger, rollupLinger, stepEvents), appended);
      Alerts alerts = new Alerts(dataSource, clock);
      Analytics analytics = new Analytics(dataSource, engine, clock);
      try {
        projector.add(alerts.projection(engine));
        projector.add(analytics.projection());
        for (Projection projection : projections) {
          projector.add(projection);
        }
        projector.start();
      } catch (RuntimeException e) {
        projector.close();
        throw e;
      }
      return new Monitor(projector, alerts, analytics);
    }
  }
}
