package io.quotient.bench.engine;

import io.quotient.bench.Machine;
import io.quotient.bench.Options;
import io.quotient.bench.Subjects;
import io.quotient.bench.audit.Alarm;
import io.quotient.bench.audit.AuditResult;
import io.quotient.bench.audit.Expectation;
import io.quotient.bench.audit.LedgerAudit;
import io.quotient.bench.audit.Postgres;
import io.quotient.bench.load.ClosedLoop;
import io.quotient.bench.load.Measurement;
import io.quotient.bench.load.OpenLoop;
import io.quotient.bench.load.Probe;
import io.quotient.bench.load.Workload;
import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import io.quotient.rate.BurstLimiter;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.signal.Signals;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine scenarios. Each runs on a fresh schema with its own {@link Quotient}: plans and
 * subjects are set up, the spread subjects are created by one {@code consumeAll} before the clock
 * starts, the load runs, the engine closes, and the audit checks the schema. Not thread-safe.
 */
public final class EngineBench {
  /** The capped subject's limit: smaller than a second of demand at the engine's speed. */
  public static final long CAP = 20_000;

  private final Postgres db;
  private final Options options;

  /** Scenarios on {@code db} with {@code options}. */
  public EngineBench(Postgres db, Options options) {
    this.db = db;
    this.options = options;
  }

  /** Closed loop with {@code callers} callers, spread or hot. */
  public Row closedLoop(Shape shape, int callers) throws Exception {
    return closedLoop(shape, callers, false);
  }

  /**
   * Closed loop with {@code callers} callers, spread or hot; when {@code monitored}, with the
   * monitor (threshold alerts and abuse signals) following the feed while the load runs. The row's
   * note then says how long the monitor took, after the load, to handle what it had not yet.
   */
  public Row closedLoop(Shape shape, int callers, boolean monitored) throws Exception {
    String name = monitored ? "engine consume, monitor on" : "engine consume";
    try (Fixture f = new Fixture(shape == Shape.SPREAD, monitored)) {
      Workload workload = shape == Shape.SPREAD
          ? ConsumeWorkload.spread(f.quotient, f.expectation)
          : ConsumeWorkload.on(f.quotient, Subjects.HOT, f.expectation);
      Probe jvm = Probe.of(Machine::ownCpuNanos);
      Probe postgres = Probe.of(Machine::postgresCpuNanos);
      Measurement m = ClosedLoop.run(workload, callers, options.warmup(), options.duration(), List.of(jvm, postgres));
      String note = join(cpuPerDecision(jvm, postgres, m), errors(m));
      if (f.monitor != null) {
        long start = System.nanoTime();
        f.monitor.catchUp(Duration.ofMinutes(5));
        String lag = String.format(Locale.ROOT, "monitor caught up %d ms after the load", (System.nanoTime() - start) / 1_000_000);
        note = join(note, lag);
      }
      return f.finish(Row.of(name, shape, Integer.toString(callers), m, null, note), Map.of());
    }
  }

  /**
   * The deny path: every caller on the capped subject ({@value #CAP} units a month), no warm-up so
   * that the measurement sees the cap being reached; the audit checks it used exactly the cap.
   */
  public Row capped(int callers) throws Exception {
    try (Fixture f = new Fixture(false, false)) {
      Workload workload = ConsumeWorkload.on(f.quotient, Subjects.CAPPED, f.expectation);
      Measurement m = ClosedLoop.run(workload, callers, Duration.ZERO, options.duration());
      Map<String, Long> caps = f.expectation.deniedDecisions() > 0 ? Map.of(Subjects.CAPPED, CAP) : Map.of();
      return f.finish(
          Row.of("engine consume capped(" + CAP / 1000 + "k)", Shape.HOT, Integer.toString(callers), m, null,
              errors(m)),
          caps);
    }
  }

  /** Open loop on spread subjects at {@code perSecond} consumes a second. */
  public Row openLoop(double perSecond) throws Exception {
    try (Fixture f = new Fixture(true, false)) {
      Workload workload = ConsumeWorkload.spread(f.quotient, f.expectation);
      Measurement m = OpenLoop.run(workload, perSecond, 2048, options.warmup(), options.duration());
      return f.finish(
          Row.of("engine open-loop", Shape.SPREAD, String.format(Locale.ROOT, "@%,.0f/s", perSecond), m, null,
              errors(m)),
          Map.of());
    }
  }

  /**
   * Closed loop on spread subjects whose limit has a burst rate so wide that it never denies, with
   * the buckets in {@code limiter}: what taking the tokens costs (in-process buckets, or one Redis
   * round trip per request).
   */
  public Row rated(int callers, BurstLimiter limiter, String buckets) throws Exception {
    try (Fixture f = new Fixture(true, limiter)) {
      Workload workload = ConsumeWorkload.spread(f.quotient, f.expectation);
      Measurement m = ClosedLoop.run(workload, callers, options.warmup(), options.duration());
      return f.finish(Row.of("engine consume, burst rate, " + buckets, Shape.SPREAD, Integer.toString(callers), m, null,
          errors(m)), Map.of());
    }
  }

  /**
   * The CPU each decision took over the window, in this process and in PostgreSQL (when it runs on
   * this machine): what a throughput alone hides, as on two cores both share the same cores.
   */
  private static String cpuPerDecision(Probe jvm, Probe postgres, Measurement m) {
    double calls = Math.max(1, m.calls());
    String own = String.format(Locale.ROOT, "CPU/decision: JVM %,.1f µs", jvm.delta() / 1000.0 / calls);
    return postgres.delta() <= 0 ? own : own + String.format(Locale.ROOT, ", PostgreSQL %,.1f µs", postgres.delta() / 1000.0 / calls);
  }

  private static String join(String first, String second) {
    return first == null ? second : second == null ? first : first + "; " + second;
  }

  private static String errors(Measurement m) {
    return m.errors() == 0 ? null : m.errors() + " calls failed";
  }

  /** A fresh schema, a migrated database and an engine with the bench plans; audited and dropped on finish. */
  private final class Fixture implements AutoCloseable {
    final String schema;
    final Database database;
    final Quotient quotient;
    final Expectation expectation = new Expectation();
    final Monitor monitor;
    private boolean closed;

    Fixture(boolean createSpreadSubjects) throws Exception {
      this(createSpreadSubjects, null, false);
    }

    Fixture(boolean createSpreadSubjects, boolean monitored) throws Exception {
      this(createSpreadSubjects, null, monitored);
    }

    /** With {@code limiter}, the bench plan's limit has a burst rate that never denies, taken there. */
    Fixture(boolean createSpreadSubjects, BurstLimiter limiter) throws Exception {
      this(createSpreadSubjects, limiter, false);
    }

    private Fixture(boolean createSpreadSubjects, BurstLimiter limiter, boolean monitored) throws Exception {
      schema = db.createSchema("qb_engine");
      int writers = options.writers() > 0 ? options.writers() : 2;
      int pool = options.poolSize() > 0 ? options.poolSize() : Math.max(8, writers + 4);
      database = Database.external(db.url(), schema, pool);
      Quotient.Builder builder = Quotient.builder(database.dataSource()).defaultPlan(Subjects.BENCH_PLAN);
      if (options.writers() > 0) {
        builder.writers(options.writers());
      }
      if (limiter != null) {
        builder.burstLimiter(limiter);
      }
      quotient = builder.build();
      Limit limit = limiter == null
          ? Limit.of(Subjects.BENCH_LIMIT, Period.MONTH)
          : new Limit(Subjects.BENCH_LIMIT, Period.MONTH, Enforcement.HARD, null, new Rate(1_000_000_000L, 1_000_000_000L));
      quotient.putPlan(new Plan(Subjects.BENCH_PLAN, Map.of(Subjects.METRIC, limit)), "bench");
      quotient.putPlan(new Plan(Subjects.CAPPED_PLAN, Map.of(Subjects.METRIC, Limit.of(CAP, Period.MONTH))), "bench");
      Instant anchor = Instant.parse("2026-01-01T00:00:00Z");
      quotient.putSubject(new Subject(Subjects.HOT, Subjects.BENCH_PLAN, anchor, null), "bench");
      quotient.putSubject(new Subject(Subjects.CAPPED, Subjects.CAPPED_PLAN, anchor, null), "bench");
      if (createSpreadSubjects) {
        List<ConsumeRequest> first = new ArrayList<>(Subjects.SPREAD);
        for (int i = 0; i < Subjects.SPREAD; i++) {
          first.add(ConsumeRequest.of(Subjects.spread(i), Subjects.METRIC, 1));
        }
        for (ConsumeResult result : quotient.consumeAll(first)) {
          Decision d = (Decision) result;
          expectation.answered(d.allowed() ? 1 : 0, 1, d.allowed() ? 0 : 1);
        }
      }
      // Started after the set-up, from the feed's head: it follows the measured load only.
      monitor = monitored
          ? Monitor.builder(quotient, database).projection(new Signals(quotient, database.dataSource(), java.time.Clock.systemUTC()).projection()).start()
          : null;
      if (monitor != null) {
        // The analytics rollups start from the feed's beginning: let them fold the set-up's 10,000
        // first consumes before the measured load, so the load measures the steady state.
        monitor.catchUp(Duration.ofMinutes(5));
      }
    }

    /** Closes the engine (finishing its batches), audits, and returns the row with the audit's verdict. */
    Row finish(Row row, Map<String, Long> exactCaps) throws Exception {
      closeEngine();
      AuditResult audit = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, exactCaps);
      Alarm.sound(row.scenario() + " " + row.shape().label() + " x" + row.callers(), audit, System.out);
      return row.withAudit(audit.label());
    }

    private void closeEngine() {
      if (!closed) {
        closed = true;
        if (monitor != null) {
          monitor.close();
        }
        quotient.close();
        database.close();
      }
    }

    @Override
    public void close() throws java.sql.SQLException {
      closeEngine();
      if (!options.keepSchemas()) {
        db.dropSchema(schema);
      }
    }
  }
}
