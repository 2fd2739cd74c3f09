package io.quotient.bench;

import io.quotient.bench.audit.Postgres;
import io.quotient.bench.baseline.RedisBaseline;
import io.quotient.bench.baseline.SeedBaseline;
import io.quotient.bench.engine.EngineBench;
import io.quotient.bench.http.HttpBench;
import io.quotient.bench.memory.MemorySoak;
import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import io.quotient.bench.report.Table;
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
  private double enginePeak;
  private double httpSinglePeak;
  private double httpBatchPeak;
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
        engine();
        http();
        openLoop();
        if (options.quick()) {
          step("jmh (quick)", () -> DecisionBenchmarks.run(List.of(), true));
        }
      }
      case "engine" -> engine();
      case "http" -> http();
      case "baselines" -> baselines();
      case "open" -> {
        peaks();
        openLoop();
      }
      case "memory" -> memory();
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
    boolean auditFailed = table.rows().stream().anyMatch(r -> r.audit().equals("FAILED"));
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
    step("seeds' baseline spread", () -> table.add(seed.run(Shape.SPREAD, 10_000, SEED_CLIENTS, secs)));
    step("seeds' baseline hot", () -> table.add(seed.run(Shape.HOT, 1, SEED_CLIENTS, secs)));
    RedisBaseline redis = new RedisBaseline(baselines);
    long requests = Math.max(50_000, 60_000 * Math.max(1, options.duration().toSeconds()));
    if (options.redisPort() > 0 && RedisBaseline.answers(options.redisPort())) {
      String note = RedisBaseline.note(RedisBaseline.persistence(options.redisPort()));
      for (Shape shape : Shape.values()) {
        step("redis baseline " + shape.label(), () -> table.add(
            redis.run(options.redisPort(), RedisBaseline.name(false), shape, REDIS_CLIENTS, requests, note)));
      }
    } else if (options.redisPort() > 0) {
      out.println("  no Redis answers on port " + options.redisPort() + ": skipping its baseline");
    }
    if (options.durableRedisPort() > 0 && commandExists("redis-server")) {
      step("durable redis baseline", () -> {
        try (RedisBaseline.DurableServer server = RedisBaseline.DurableServer.start(options.durableRedisPort())) {
          String note = RedisBaseline.note(RedisBaseline.persistence(server.port()) + " (started by the suite)");
          for (Shape shape : Shape.values()) {
            table.add(redis.run(server.port(), RedisBaseline.name(true), shape, REDIS_CLIENTS, requests, note));
          }
        }
      });
    }
  }

  private void engine() {
    EngineBench bench = new EngineBench(db, options);
    for (Shape shape : Shape.values()) {
      for (int callers : options.callers()) {
        step("engine " + shape.label() + " x" + callers, () -> {
          Row row = bench.closedLoop(shape, callers);
          table.add(row);
          if (shape == Shape.SPREAD) {
            enginePeak = Math.max(enginePeak, row.decisionsPerSecond());
          }
        });
      }
    }
    step("engine capped", () -> table.add(bench.capped(64)));
  }

  private void http() {
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
    out.println("  server: " + jar);
    HttpBench bench = new HttpBench(db, options, jar);
    for (Shape shape : Shape.values()) {
      for (int callers : options.httpCallers()) {
        step("http consume " + shape.label() + " x" + callers, () -> {
          Row row = bench.closedLoop(false, shape, callers);
          table.add(row);
          if (shape == Shape.SPREAD) {
            httpSinglePeak = Math.max(httpSinglePeak, row.decisionsPerSecond());
          }
        });
      }
      for (int callers : options.batchCallers()) {
        step("http batch " + shape.label() + " x" + callers, () -> {
          Row row = bench.closedLoop(true, shape, callers);
          table.add(row);
          if (shape == Shape.SPREAD) {
            httpBatchPeak = Math.max(httpBatchPeak, row.decisionsPerSecond());
          }
        });
      }
    }
    step("http capped", () -> table.add(bench.capped(64)));
  }

  /** For the open mode alone: the peaks, from one closed-loop run each at the highest concurrency. */
  private void peaks() {
    EngineBench engine = new EngineBench(db, options);
    int most = options.callers().stream().mapToInt(Integer::intValue).max().orElse(256);
    step("engine peak", () -> {
      Row row = engine.closedLoop(Shape.SPREAD, most);
      table.add(row);
      enginePeak = row.decisionsPerSecond();
    });
    try {
      Path jar = HttpBench.findJar(options);
      if (jar != null) {
        HttpBench http = new HttpBench(db, options, jar);
        step("http consume peak", () -> {
          Row row = http.closedLoop(false, Shape.SPREAD, options.httpCallers().get(0));
          table.add(row);
          httpSinglePeak = row.decisionsPerSecond();
        });
        step("http batch peak", () -> {
          Row row = http.closedLoop(true, Shape.SPREAD, options.batchCallers().get(0));
          table.add(row);
          httpBatchPeak = row.decisionsPerSecond();
        });
      }
    } catch (Exception e) {
      failures.add("http peaks: " + e.getMessage());
    }
  }

  private void openLoop() {
    if (enginePeak > 0) {
      EngineBench bench = new EngineBench(db, options);
      step("engine open-loop", () -> table.add(bench.openLoop(enginePeak / 2)));
    }
    if (httpSinglePeak > 0 || httpBatchPeak > 0) {
      try {
        HttpBench bench = new HttpBench(db, options, HttpBench.findJar(options));
        if (httpSinglePeak > 0) {
          step("http consume open-loop", () -> table.add(bench.openLoop(false, httpSinglePeak / 2, 512)));
        }
        if (httpBatchPeak > 0) {
          step("http batch open-loop", () -> table.add(bench.openLoop(true, httpBatchPeak / 2, 128)));
        }
      } catch (Exception e) {
        failures.add("http open-loop: " + e.getMessage());
      }
    }
  }

  private void memory() {
    try {
      Path jar = HttpBench.findJar(options);
      if (jar == null) {
        failures.add("memory: no server jar under quotient-server/target (build it, or pass --server-jar)");
        return;
      }
      step("memory soak", () -> new MemorySoak(db, options, jar, out).run().forEach(table::add));
    } catch (Exception e) {
      failures.add("memory: " + e.getMessage());
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private void step(String name, Step step) {
    double busy = Machine.busyFraction(1000);
    busiest = Double.isNaN(busy) ? busiest : Math.max(busiest, busy);
    out.println("- " + name + (busy > QUIET
        ? String.format(Locale.ROOT, "   (warning: the machine was %.0f%% busy before it started: other processes are"
            + " running, figures will be low)", busy * 100)
        : ""));
    long start = System.nanoTime();
    try {
      step.run();
      List<Row> rows = table.rows();
      if (!rows.isEmpty()) {
        Row last = rows.get(rows.size() - 1);
        out.printf(Locale.ROOT, "  %,.0f decisions/s, p99 %.2f ms, granted %,d, denied %,d, audit %s (%.0f s)%n",
            last.decisionsPerSecond(), last.p99Millis(), last.granted(), last.denied(), last.audit(),
            (System.nanoTime() - start) / 1e9);
      }
    } catch (Exception e) {
      failures.add(name + ": " + e);
      out.println("  FAILED: " + e);
      if (!(e instanceof UnsupportedOperationException)) {
        e.printStackTrace(out);
      }
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
