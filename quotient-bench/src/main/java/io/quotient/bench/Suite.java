package io.quotient.bench;

import io.quotient.bench.analytics.AnalyticsBench;
import io.quotient.bench.audit.Postgres;
import io.quotient.bench.baseline.RedisBaseline;
import io.quotient.bench.baseline.SeedBaseline;
import io.quotient.bench.cluster.ClusterBench;
import io.quotient.bench.engine.EngineBench;
import io.quotient.bench.http.HttpBench;
import io.quotient.bench.memory.MemorySoak;
import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import io.quotient.bench.report.Table;
import io.quotient.rate.BurstLimiter;
import io.quotient.redis.RedisBurstLimiter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a mode's scenarios in order and prints the table. A scenario that throws is reported and
 * the rest still run; the exit status says whether anything failed. Not thread-safe.
 *
 * <p>Order in {@code all}: the baselines first (on a quiet machine), then the engine, the server,
 * and the open-loop runs at half the peaks just measured. Only one thing loads the machine at a
 * time.
 */
final class Suite {
  private static final int SEED_CLIENTS = 16;
  private static final int REDIS_CLIENTS = 50;
  /** Busier than this between steps, and something else is using the machine. */
  private static final double QUIET = 0.15;

  private final Options options;
  private final PrintStream out;
  private final Postgres db;
  private final Table table = new Table();
  private final List<String> failures = new ArrayList<>();
  private boolean auditAfterStopFailed;
  private double busiest;

  Suite(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.db = new Postgres(options.databaseUrl());
  }

  /** Runs {@code mode}; returns the exit status. */
  int run(String mode) throws Exception {
    out.println("quotient-bench " + mode + ": " + Machine.describe(db));
    out.printf(Locale.ROOT, "  %s measured per scenario after %s warm-up%n", options.duration(), options.warmup());
    switch (mode) {
      case "all" -> {
        baselines();
        engine(true, true);
        monitoring();
        http(true, true);
        if (options.quick()) {
          out.println("- jmh (quick)");
          try {
            DecisionBenchmarks.run(List.of(), true);
          } catch (Exception e) {
            failures.add("jmh: " + e);
          }
        }
      }
      case "engine" -> engine(true, false);
      case "monitor" -> monitoring();
      case "http" -> http(true, false);
      case "baselines" -> baselines();
      case "open" -> {
        engine(false, true);
        http(false, true);
      }
      case "memory" -> memory();
      case "export" -> export();
      case "cluster" -> cluster();
      case "analytics" -> {
        // Its own report: the answers' latencies against the 50 ms goal, not the decision table.
        int subjects = options.quick() ? 10_000 : 100_000;
        boolean met = new AnalyticsBench(db, out).run(subjects, options.quick() ? 50 : 300, options.keepSchemas());
        out.println(met ? "Every analytics answer met its goal (p99 < 50 ms)." : "!!! Some analytics answer missed its goal.");
        return met ? 0 : 1;
      }
      default -> {
        out.println("unknown mode " + mode + "\n" + Options.USAGE);
        return 64;
      }
    }
    out.println();
    table.print(out);
    out.println();
    out.printf(Locale.ROOT, "Other processes before the steps: at most %.0f%% of %d cores busy%s%n", busiest * 100,
        Runtime.getRuntime().availableProcessors(), busiest > QUIET ? " (the machine was not quiet)" : " (quiet)");
    boolean auditFailed = auditAfterStopFailed || table.rows().stream().anyMatch(r -> r.audit().equals("FAILED"));
    if (auditFailed) {
      out.println("!!! AUDIT FAILED: at least one scenario left the database disagreeing with its callers or a subject"
          + " past its limit. See the banners above. Exit status 2.");
      return 2;
    }
    if (!failures.isEmpty()) {
      out.println("Scenarios that could not run:");
      failures.forEach(f -> out.println("  - " + f));
      return 1;
    }
    out.println("Every audit passed: granted units == counters == events, no subject past its limit.");
    return 0;
  }

  private void baselines() {
    Path baselines = options.baselines();
    if (!Files.isDirectory(baselines.resolve("seed-baseline"))) {
      failures.add("baselines: no seed-baseline under " + baselines.toAbsolutePath() + " (use --baselines DIR)");
      return;
    }
    SeedBaseline seed = new SeedBaseline(baselines, options.databaseUrl());
    Duration secs = options.duration().compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : options.duration();
    step("seeds' baseline spread", () -> seed.run(Shape.SPREAD, 10_000, SEED_CLIENTS, secs));
    step("seeds' baseline hot", () -> seed.run(Shape.HOT, 1, SEED_CLIENTS, secs));
    RedisBaseline redis = new RedisBaseline(baselines);
    long requests = Math.max(50_000, 60_000 * Math.max(1, options.duration().toSeconds()));
    if (options.redisPort() > 0 && RedisBaseline.answers(options.redisPort())) {
      String note = RedisBaseline.note(RedisBaseline.persistence(options.redisPort()));
      for (Shape shape : Shape.values()) {
        step("redis baseline " + shape.label(),
            () -> redis.run(options.redisPort(), RedisBaseline.name(false), shape, REDIS_CLIENTS, requests, note));
      }
    } else if (options.redisPort() > 0) {
      out.println("  no Redis answers on port " + options.redisPort() + ": skipping its baseline");
    }
    if (options.durableRedisPort() > 0 && commandExists("redis-server")) {
      try (RedisBaseline.DurableServer server = RedisBaseline.DurableServer.start(options.durableRedisPort())) {
        String note = RedisBaseline.note(RedisBaseline.persistence(server.port()) + " (started by the suite)");
        for (Shape shape : Shape.values()) {
          step("durable redis baseline " + shape.label(),
              () -> redis.run(server.port(), RedisBaseline.name(true), shape, REDIS_CLIENTS, requests, note));
        }
      } catch (Exception e) {
        failures.add("durable redis baseline: " + e);
        out.println("  FAILED: " + e);
      }
    }
  }

  /**
   * Consume throughput with the monitor off and on, in this run: spread subjects at the most callers,
   * off, on, off, on (alternating, so that a drift of the machine shows in both), then the ratio.
   */
  private void monitoring() {
    EngineBench bench = new EngineBench(db, options);
    int most = options.callers().stream().mapToInt(Integer::intValue).max().orElse(64);
    double off = 0;
    double on = 0;
    for (int round = 0; round < 2; round++) {
      Row a = step("engine spread x" + most + ", monitor off", () -> bench.closedLoop(Shape.SPREAD, most, false));
      Row b = step("engine spread x" + most + ", monitor on", () -> bench.closedLoop(Shape.SPREAD, most, true));
      off += a == null ? 0 : a.decisionsPerSecond();
      on += b == null ? 0 : b.decisionsPerSecond();
    }
    if (off > 0) {
      out.printf(Locale.ROOT, "  monitor on/off: %,.0f vs %,.0f decisions/s (on is %.1f%% of off; goal: within 10%%)%n",
          on / 2, off / 2, 100 * on / off);
    }
  }

  /** The engine scenarios; then, when {@code open}, open loop at half the spread peak. */
  private void engine(boolean closed, boolean open) {
    EngineBench bench = new EngineBench(db, options);
    double peak = 0;
    if (closed) {
      for (Shape shape : Shape.values()) {
        for (int callers : options.callers()) {
          Row row = step("engine " + shape.label() + " x" + callers, () -> bench.closedLoop(shape, callers));
          if (row != null && shape == Shape.SPREAD) {
            peak = Math.max(peak, row.decisionsPerSecond());
          }
        }
      }
      step("engine capped", () -> bench.capped(64));
    } else {
      int most = options.callers().stream().mapToInt(Integer::intValue).max().orElse(256);
      Row row = step("engine peak (spread x" + most + ")", () -> bench.closedLoop(Shape.SPREAD, most));
      peak = row == null ? 0 : row.decisionsPerSecond();
    }
    if (open && peak > 0) {
      double half = peak / 2;
      step("engine open-loop at half the peak", () -> bench.openLoop(half));
    }
  }

  /** The HTTP scenarios on one server; then, when {@code open}, open loop at half the peaks. */
  private void http(boolean closed, boolean open) {
    Path jar;
    try {
      jar = HttpBench.findJar(options);
    } catch (Exception e) {
      failures.add("http: " + e.getMessage());
      return;
    }
    if (jar == null) {
      failures.add("http: no server jar under quotient-server/target (build it, or pass --server-jar)");
      return;
    }
    out.println("  server jar: " + jar);
    double singlePeak = 0;
    double batchPeak = 0;
    try (HttpBench bench = new HttpBench(db, options, jar, out)) {
      List<Integer> singles = closed ? options.httpCallers() : List.of(options.httpCallers().get(0));
      List<Integer> batches = closed ? options.batchCallers() : List.of(options.batchCallers().get(0));
      if (closed) {
        step("http floor (bare Jetty handler) x" + singles.get(0), () -> {}, () -> bench.floor(singles.get(0)));
      }
      for (Shape shape : closed ? List.of(Shape.values()) : List.of(Shape.SPREAD)) {
        for (int callers : singles) {
          Row row = step("http consume " + shape.label() + " x" + callers, bench::settle, () -> bench.closedLoop(false, shape, callers));
          if (row != null && shape == Shape.SPREAD) {
            singlePeak = Math.max(singlePeak, row.decisionsPerSecond());
          }
        }
        for (int callers : batches) {
          Row row = step("http batch " + shape.label() + " x" + callers, bench::settle, () -> bench.closedLoop(true, shape, callers));
          if (row != null && shape == Shape.SPREAD) {
            batchPeak = Math.max(batchPeak, row.decisionsPerSecond());
          }
        }
      }
      if (closed) {
        step("http capped", bench::settle, () -> bench.capped(64));
      }
      if (open && singlePeak > 0) {
        double half = singlePeak / 2;
        step("http consume open-loop at half the peak", bench::settle, () -> bench.openLoop(false, half, 512));
      }
      if (open && batchPeak > 0) {
        double half = batchPeak / 2;
        step("http batch open-loop at half the peak", bench::settle, () -> bench.openLoop(true, half, 128));
      }
      if (!bench.stop()) {
        auditAfterStopFailed = true;
      }
    } catch (Exception e) {
      failures.add("http: " + e);
      out.println("  FAILED: " + e);
    }
  }

  private void export() {
    try {
      Path jar = HttpBench.findJar(options);
      if (jar == null) {
        failures.add("export: no server jar under quotient-server/target (build it, or pass --server-jar)");
        return;
      }
      out.println("- usage export");
      new io.quotient.bench.export.ExportBench(db, options, jar, out).run();
    } catch (Exception e) {
      failures.add("export: " + e);
    }
  }

  private void cluster() {
    try {
      Path jar = HttpBench.findJar(options);
      if (jar == null) {
        failures.add("cluster: no server jar under quotient-server/target (build it, or pass --server-jar)");
        return;
      }
      if (!RedisBaseline.answers(options.redisPort())) {
        failures.add("cluster: no Redis answers on port " + options.redisPort() + " (--redis-port)");
        return;
      }
      String redisUrl = "redis://127.0.0.1:" + options.redisPort();
      EngineBench engine = new EngineBench(db, options);
      int callers = 64;
      step("engine consume x" + callers + ", burst rate taken in process",
          () -> engine.rated(callers, BurstLimiter.inProcess(), "in-process buckets"));
      try (RedisBurstLimiter redis = RedisBurstLimiter.builder(redisUrl).build()) {
        step("engine consume x" + callers + ", burst rate taken in Redis",
            () -> engine.rated(callers, redis, "Redis buckets"));
      }
      out.println("- cluster: three servers on one PostgreSQL and one Redis");
      for (Row row : new ClusterBench(db, options, jar, out).run(redisUrl)) {
        table.add(row);
        out.printf(Locale.ROOT, "  %s: %,.0f decisions/s, p99 %.2f ms, granted %,d, denied %,d, audit %s%n", row.scenario(),
            row.decisionsPerSecond(), row.p99Millis(), row.granted(), row.denied(), row.audit());
      }
    } catch (Exception e) {
      failures.add("cluster: " + e);
      out.println("  FAILED: " + e);
      e.printStackTrace(out);
    }
  }

  private void memory() {
    try {
      Path jar = HttpBench.findJar(options);
      if (jar == null) {
        failures.add("memory: no server jar under quotient-server/target (build it, or pass --server-jar)");
        return;
      }
      out.println("- memory soak");
      new MemorySoak(db, options, jar, out).run().forEach(table::add);
    } catch (Exception e) {
      failures.add("memory: " + e.getMessage());
    }
  }

  private interface Step {
    Row run() throws Exception;
  }

  /** What a scenario waits for before the suite looks at how busy the machine is. */
  private interface Settle {
    void settle() throws Exception;
  }

  /** Runs one scenario and adds its row; returns it, or null when the scenario failed. */
  private Row step(String name, Step step) {
    return step(name, () -> {}, step);
  }

  /** Like {@link #step(String, Step)}, after {@code settle}. */
  private Row step(String name, Settle settle, Step step) {
    try {
      settle.settle();
    } catch (Exception e) {
      failures.add(name + ": " + e);
      out.println("- " + name + "\n  FAILED: " + e);
      return null;
    }
    double busy = Machine.busyFraction(1000);
    busiest = Double.isNaN(busy) ? busiest : Math.max(busiest, busy);
    out.println("- " + name + (busy > QUIET
        ? String.format(Locale.ROOT, "   (warning: the machine was %.0f%% busy before it started: other processes are"
            + " running, figures will be low)", busy * 100)
        : ""));
    long start = System.nanoTime();
    try {
      Row row = step.run();
      if (row != null) {
        table.add(row);
        out.printf(Locale.ROOT, "  %,.0f decisions/s, p50 %.2f ms, p99 %.2f ms, granted %,d, denied %,d, audit %s (%.0f s)%n",
            row.decisionsPerSecond(), row.p50Millis(), row.p99Millis(), row.granted(), row.denied(), row.audit(),
            (System.nanoTime() - start) / 1e9);
      }
      return row;
    } catch (Exception e) {
      failures.add(name + ": " + e);
      out.println("  FAILED: " + e);
      if (!(e instanceof UnsupportedOperationException)) {
        e.printStackTrace(out);
      }
      return null;
    }
  }

  private static boolean commandExists(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
