package io.quotient.bench.memory;

import io.quotient.bench.Options;
import io.quotient.bench.Subjects;
import io.quotient.bench.audit.Alarm;
import io.quotient.bench.audit.AuditResult;
import io.quotient.bench.audit.Expectation;
import io.quotient.bench.audit.LedgerAudit;
import io.quotient.bench.audit.Postgres;
import io.quotient.bench.http.ConsumeOverHttp;
import io.quotient.bench.http.HttpBench;
import io.quotient.bench.http.ServerProcess;
import io.quotient.bench.http.ServerSetup;
import io.quotient.bench.load.ClosedLoop;
import io.quotient.bench.load.Measurement;
import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the server with {@code -Xmx512m} under single and batch consumes at once for the soak
 * length, printing every {@value #SAMPLE_SECONDS} seconds the heap after GC (lowest and highest in
 * the interval), the collections, and the resident set size; then compares the first and last
 * minutes. Not thread-safe.
 */
public final class MemorySoak {
  static final int SAMPLE_SECONDS = 10;

  private final Postgres db;
  private final Options options;
  private final Path jar;
  private final PrintStream out;

  /** A soak on {@code db} of the server in {@code jar}. */
  public MemorySoak(Postgres db, Options options, Path jar, PrintStream out) {
    this.db = db;
    this.options = options;
    this.jar = jar;
    this.out = out;
  }

  /** Runs it; returns the two load rows, audited. */
  public List<Row> run() throws Exception {
    String schema = db.createSchema("qb_soak");
    Path dir = Files.createTempDirectory("quotient-bench-soak");
    Path gc = dir.resolve("gc.log");
    String adminKey = "qk_bench_" + UUID.randomUUID().toString().replace("-", "");
    Expectation expectation = new Expectation();
    List<Row> rows = new ArrayList<>();
    ServerProcess server =
        ServerProcess.start(jar, db.url(), schema, adminKey, ServerSetup.settings(dir, HttpBench.CAP),
            List.of("-Xlog:gc:file=" + gc), dir.resolve("server.log"));
    try {
      String key = ServerSetup.prepare(server.port(), adminKey, true, expectation);
      ConsumeOverHttp single = ConsumeOverHttp.of(server.port(), key, 0, null, expectation);
      ConsumeOverHttp batch = ConsumeOverHttp.of(server.port(), key, HttpBench.BATCH, null, expectation);
      Duration soak = options.soak();
      out.printf(Locale.ROOT, "memory soak: server pid %d, %s, %s, single x32 + batch(%d) x8 on spread subjects; GC log %s%n",
          server.pid(), ServerProcess.HEAP, soak, HttpBench.BATCH, gc);
      List<Sample> samples = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Future<Measurement> singles = pool.submit(load(single, 32, soak));
        Future<Measurement> batches = pool.submit(load(batch, 8, soak));
        GcLog log = new GcLog(gc);
        long start = System.nanoTime();
        double firstLive = Double.NaN;
        double lastLive = Double.NaN;
        while (!singles.isDone() || !batches.isDone()) {
          Thread.sleep(SAMPLE_SECONDS * 1000L);
          double at = (System.nanoTime() - start) / 1e9;
          boolean first = Double.isNaN(firstLive) && at >= 60;
          boolean last = at + 2 * SAMPLE_SECONDS > soak.toSeconds() && Double.isNaN(lastLive) && !Double.isNaN(firstLive);
          if (first || last) {
            fullGc(server.pid());
          }
          List<GcLog.Collection> gcs = log.next();
          Sample s = Sample.of(at, gcs, residentMb(server.pid()));
          samples.add(s);
          out.println("  " + s);
          double live = gcs.stream().filter(GcLog.Collection::full).mapToDouble(GcLog.Collection::afterMb).min().orElse(Double.NaN);
          if (first) {
            firstLive = live;
            out.printf(Locale.ROOT, "  live heap after a full GC (jcmd GC.run) at t=%.0fs: %.1f MB%n", at, live);
          } else if (last) {
            lastLive = live;
            out.printf(Locale.ROOT, "  live heap after a full GC (jcmd GC.run) at t=%.0fs: %.1f MB%n", at, live);
          }
        }
        if (!Double.isNaN(firstLive) && !Double.isNaN(lastLive)) {
          out.printf(Locale.ROOT, "  live heap after full GC: %.1f MB after the first minute, %.1f MB at the end (%+.1f MB)%n",
              firstLive, lastLive, lastLive - firstLive);
        }
        Measurement ms = singles.get();
        Measurement mb = batches.get();
        rows.add(Row.of("soak http consume", Shape.SPREAD, "32", ms, null, "during the memory soak"));
        rows.add(Row.of("soak http batch(" + HttpBench.BATCH + ")", Shape.SPREAD, "8", mb, null, "during the memory soak"));
      }
      summarise(samples);
    } finally {
      server.close();
    }
    AuditResult audit = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, Map.of());
    Alarm.sound("memory soak", audit, out);
    if (!options.keepSchemas()) {
      db.dropSchema(schema);
    }
    return rows.stream().map(r -> r.withAudit(audit.label())).toList();
  }

  private Callable<Measurement> load(ConsumeOverHttp workload, int callers, Duration soak) {
    return () -> ClosedLoop.run(workload, callers, Duration.ZERO, soak);
  }

  private void summarise(List<Sample> samples) {
    List<Sample> withGc = samples.stream().filter(s -> s.collections() > 0).toList();
    if (withGc.size() < 2) {
      out.println("  too few collections to compare the start with the end");
      return;
    }
    int window = Math.max(1, Math.min(6, withGc.size() / 3)); // about a minute at each end
    double first = withGc.subList(0, window).stream().mapToDouble(Sample::maxAfterMb).max().orElse(0);
    double last = withGc.subList(withGc.size() - window, withGc.size()).stream().mapToDouble(Sample::maxAfterMb).max().orElse(0);
    out.printf(Locale.ROOT, "  heap after GC, highest: first %d samples %.0f MB, last %d samples %.0f MB (%+.0f MB)%n",
        window, first, window, last, last - first);
  }

  /** Asks the server for a full collection ({@code jcmd PID GC.run}), so that the GC log shows the live heap. */
  private void fullGc(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } catch (IOException e) {
      out.println("  could not run jcmd: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double residentMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /**
   * One sampling interval.
   *
   * @param atSeconds seconds since the load started
   * @param collections collections in the interval
   * @param minAfterMb lowest heap after a collection, MB
   * @param maxAfterMb highest heap after a collection, MB
   * @param committedMb heap committed at the last collection, MB
   * @param residentMb the process's resident set size, MB
   */
  record Sample(double atSeconds, int collections, double minAfterMb, double maxAfterMb, double committedMb, double residentMb) {
    static Sample of(double at, List<GcLog.Collection> gcs, double rss) {
      double min = gcs.stream().mapToDouble(GcLog.Collection::afterMb).min().orElse(Double.NaN);
      double max = gcs.stream().mapToDouble(GcLog.Collection::afterMb).max().orElse(Double.NaN);
      double committed = gcs.isEmpty() ? Double.NaN : gcs.get(gcs.size() - 1).committedMb();
      return new Sample(at, gcs.size(), min, max, committed, rss);
    }

    @Override
    public String toString() {
      if (collections == 0) {
        return String.format(Locale.ROOT, "t=%4.0fs  no collection in this interval  RSS %4.0f MB", atSeconds, residentMb);
      }
      return String.format(Locale.ROOT, "t=%4.0fs  heap after GC %4.0f..%4.0f MB of %4.0f MB committed  (%3d GCs)  RSS %4.0f MB",
          atSeconds, minAfterMb, maxAfterMb, committedMb, collections, residentMb);
    }
  }
}
