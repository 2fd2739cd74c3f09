package io.quotient.bench.http;

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
import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The HTTP scenarios, all against one server ({@code -Xmx512m}) on a fresh schema, as a
 * long-running deployment would be: started on first use, set up through its API, warmed up once
 * (its JIT compilers otherwise take a large share of two cores for the first half minute), then
 * loaded scenario after scenario over loopback keep-alive connections. The audit runs after each
 * scenario against everything the server has answered so far (every answer follows its commit, so
 * the database is settled once the callers have stopped), and once more after the server has been
 * stopped with SIGTERM. Not thread-safe.
 */
public final class HttpBench implements AutoCloseable {
  /** The capped subject's limit over HTTP. */
  public static final long CAP = 5_000;
  /** Requests per batch call. */
  public static final int BATCH = 100;
  /** The most warm-up rounds of five seconds. */
  private static final int WARM_UP_ROUNDS = 36;
  /** The longest wait for the server to go idle before a scenario. */
  private static final int SETTLE_SECONDS = 60;

  private final Postgres db;
  private final Options options;
  private final Path jar;
  private final PrintStream out;
  private final Expectation expectation = new Expectation();
  private String schema;
  private ServerProcess server;
  private String key;
  private long cappedCalls;
  private double floor; // single consumes per second of the bare Jetty handler, 0 until measured

  /** Scenarios on {@code db} against the server in {@code jar}. */
  public HttpBench(Postgres db, Options options, Path jar, PrintStream out) {
    this.db = db;
    this.options = options;
    this.jar = jar;
    this.out = out;
  }

  /** The server jar named in the options, else the newest runnable one under {@code quotient-server/target}. */
  public static Path findJar(Options options) throws IOException {
    if (options.serverJar() != null) {
      if (!Files.isRegularFile(options.serverJar())) {
        throw new IOException("no server jar at " + options.serverJar());
      }
      return options.serverJar();
    }
    Path target = Path.of("quotient-server", "target");
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.startsWith("quotient-server") && name.endsWith(".jar") && !name.contains("sources")
                && !name.contains("tests") && !name.startsWith("original-");
          })
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())) // the shaded one is largest
          .orElse(null);
    }
  }

  /**
   * The HTTP floor: {@link JettyFloor} in a process of its own, loaded exactly as the server's
   * single consumes are ({@code callers} connections, the same requests), after the same JIT warm-up
   * as the server gets. Its rate is what {@link #closedLoop} rates single consumes against; run it
   * before the server starts, so that only one of them loads the machine.
   */
  public Row floor(int callers) throws Exception {
    Path dir = Files.createTempDirectory("quotient-bench-floor");
    try (ServerProcess jetty = ServerProcess.startFloor(dir.resolve("floor.log"))) {
      out.println("  floor: pid " + jetty.pid() + ", port " + jetty.port());
      Expectation ignored = new Expectation();
      ConsumeOverHttp workload = ConsumeOverHttp.of(jetty.port(), "qk_floor", 0, null, ignored);
      ClosedLoop.run(workload, 64, Duration.ZERO, options.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(15));
      Probe cpu = Probe.of(jetty::cpuNanos);
      Probe sys = Probe.of(jetty::systemCpuNanos);
      Measurement m = ClosedLoop.run(workload, callers, options.warmup(), options.duration(), List.of(cpu, sys));
      floor = m.decisionsPerSecond();
      return new Row("http floor: bare Jetty handler", Shape.SPREAD, Integer.toString(callers), m.decisionsPerSecond(),
          m.latencyMillis(50), m.latencyMillis(99), m.latencyMillis(99.9), -1, -1, "-", true,
          cpuPerCall(cpu, sys, m) + "; reads the body, answers fixed JSON");
    }
  }

  /**
   * Closed loop: single consumes or batches of {@value #BATCH}, spread or hot. The note gives the
   * server's CPU time per call over the window (all its threads) and, for single consumes, the
   * share of the {@linkplain #floor floor}.
   */
  public Row closedLoop(boolean batch, Shape shape, int callers) throws Exception {
    start();
    ConsumeOverHttp workload = workload(batch, shape == Shape.HOT ? Subjects.HOT : null);
    Probe cpu = Probe.of(server::cpuNanos);
    Probe sys = Probe.of(server::systemCpuNanos);
    Measurement m = ClosedLoop.run(workload, callers, options.warmup(), options.duration(), List.of(cpu, sys));
    String note = cpuPerCall(cpu, sys, m);
    if (!batch && floor > 0) {
      note += String.format(Locale.ROOT, "; %.0f%% of the Jetty floor", 100 * m.decisionsPerSecond() / floor);
    }
    String more = note(m, batch);
    return audited(Row.of(name(batch), shape, Integer.toString(callers), m, null, more == null ? note : note + "; " + more),
        Map.of());
  }

  /** The server's CPU per call over the window, with the kernel's part of it when {@code /proc} tells. */
  private static String cpuPerCall(Probe cpu, Probe sys, Measurement m) {
    double calls = Math.max(1, m.calls());
    String total = String.format(Locale.ROOT, "JVM CPU %,.0f µs/call", cpu.delta() / 1000.0 / calls);
    boolean proc = Files.isReadable(Path.of("/proc/self/stat"));
    return !proc || sys.delta() < 0 ? total : total + String.format(Locale.ROOT, " (%,.0f in the kernel)", sys.delta() / 1000.0 / calls);
  }

  /** The deny path over HTTP: single consumes on the capped subject, no warm-up; runs once per server. */
  public Row capped(int callers) throws Exception {
    start();
    if (cappedCalls++ > 0) {
      throw new IllegalStateException("the capped scenario runs once per server");
    }
    Measurement m = ClosedLoop.run(workload(false, Subjects.CAPPED), callers, Duration.ZERO, options.duration());
    Map<String, Long> caps = m.denied() > 0 ? Map.of(Subjects.CAPPED, CAP) : Map.of();
    return audited(Row.of("http consume capped(" + CAP / 1000 + "k)", Shape.HOT, Integer.toString(callers), m, null,
        note(m, false)), caps);
  }

  /** Open loop on spread subjects at {@code decisionsPerSecond}, single or batched, up to {@code connections} in flight. */
  public Row openLoop(boolean batch, double decisionsPerSecond, int connections) throws Exception {
    start();
    ConsumeOverHttp workload = workload(batch, null);
    double callsPerSecond = decisionsPerSecond / workload.decisionsPerCall();
    Measurement m = OpenLoop.run(workload, callsPerSecond, connections, options.warmup(), options.duration());
    return audited(
        Row.of(name(batch) + " open-loop", Shape.SPREAD, String.format(Locale.ROOT, "@%,.0f/s", decisionsPerSecond), m,
            null, note(m, batch)),
        Map.of());
  }

  /**
   * Starts the server if it is not running, then waits, at most {@value #SETTLE_SECONDS} s, until it
   * has been idle for half a second (under 5 % of a core). Its monitor folds each load's events into
   * rollups after the load, and a scenario that started before it was done was charged with the last
   * one's backlog (the suite found the cores 65–95 % busy before each HTTP step). Call before each
   * scenario, before the suite looks at how busy the machine is.
   */
  public void settle() throws Exception {
    start();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
    while (System.nanoTime() < deadline) {
      long before = server.cpuNanos();
      Thread.sleep(500);
      if (server.cpuNanos() - before < TimeUnit.MILLISECONDS.toNanos(25)) {
        break;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (seconds >= 1) {
      out.printf(Locale.ROOT, "  the server settled in %.1f s before the next step (its monitor folding the previous load)%n", seconds);
    }
  }

  private ConsumeOverHttp workload(boolean batch, String subject) {
    return ConsumeOverHttp.of(server.port(), key, batch ? BATCH : 0, subject, expectation);
  }

  private void start() throws Exception {
    if (server != null) {
      return;
    }
    schema = db.createSchema("qb_http");
    String adminKey = "qk_bench_" + UUID.randomUUID().toString().replace("-", "");
    Path dir = Files.createTempDirectory("quotient-bench-server");
    server = ServerProcess.start(jar, db.url(), schema, adminKey, ServerSetup.settings(dir, CAP), List.of(),
        dir.resolve("server.log"));
    out.println("  server: pid " + server.pid() + ", port " + server.port() + ", schema " + schema + ", log " + server.log());
    try {
      key = ServerSetup.prepare(server.port(), adminKey, true, expectation);
      warmUp();
    } catch (Exception e) {
      out.println("  server log " + server.log() + ":\n" + server.tail());
      throw e;
    }
  }

  /**
   * Loads the server with single and batch consumes, spread and hot, in rounds of five seconds
   * until its JIT compilers used under 5 % of a core in a round (at most {@value #WARM_UP_ROUNDS}
   * rounds; one with {@code --quick}; 15 s where {@code /proc} cannot tell). A fixed 15 s was not
   * enough on two cores: the compilers then still took half a core or more, about a minute longer,
   * and charged it to the first scenarios.
   */
  private void warmUp() throws Exception {
    int rounds = options.quick() ? 1 : WARM_UP_ROUNDS;
    Duration round = options.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    long started = System.nanoTime();
    for (int i = 1; i <= rounds; i++) {
      long before = server.compilerCpuNanos();
      Duration quarter = round.dividedBy(4);
      ClosedLoop.run(workload(false, null), 64, Duration.ZERO, quarter);
      ClosedLoop.run(workload(false, Subjects.HOT), 64, Duration.ZERO, quarter);
      ClosedLoop.run(workload(true, null), 8, Duration.ZERO, quarter);
      ClosedLoop.run(workload(true, Subjects.HOT), 8, Duration.ZERO, quarter);
      long compiler = server.compilerCpuNanos() - before;
      double share = compiler / (double) round.toNanos();
      out.printf(Locale.ROOT, "  warming the server's JIT up: round %d, its compilers used %.0f%% of a core%n", i, share * 100);
      if (before < 0 ? i * round.toSeconds() >= 15 : share < 0.05) {
        break; // without /proc to read the compilers from, the fixed 15 s of before
      }
    }
    out.printf(Locale.ROOT, "  warmed up in %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  private Row audited(Row row, Map<String, Long> exactCaps) throws Exception {
    AuditResult audit = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, exactCaps);
    Alarm.sound(row.scenario() + " " + row.shape().label() + " x" + row.callers(), audit, out);
    return row.withAudit(audit.label());
  }

  private static String name(boolean batch) {
    return batch ? "http batch(" + BATCH + ")" : "http consume";
  }

  private static String note(Measurement m, boolean batch) {
    StringBuilder sb = new StringBuilder();
    if (batch) {
      sb.append(String.format(Locale.ROOT, "%,.0f calls/s; latency per call", m.callsPerSecond()));
    }
    if (m.errors() > 0) {
      sb.append(sb.isEmpty() ? "" : "; ").append(m.errors()).append(" calls failed");
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  /**
   * Stops the server with SIGTERM and audits once more (nothing answered may be lost in the
   * shutdown); returns false when that audit failed. Then drops the schema.
   */
  public boolean stop() throws java.sql.SQLException {
    if (server == null) {
      return true;
    }
    server.close();
    server = null;
    AuditResult audit = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, Map.of());
    Alarm.sound("http, after the server stopped", audit, out);
    if (!options.keepSchemas()) {
      db.dropSchema(schema);
    }
    return audit.passed();
  }

  @Override
  public void close() throws java.sql.SQLException {
    stop();
  }
}
