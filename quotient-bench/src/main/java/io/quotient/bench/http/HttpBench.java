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
import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The HTTP scenarios. Each starts its own server ({@code -Xmx512m}) on a fresh schema, sets it up
 * through the admin API, loads it over loopback keep-alive connections, stops it with SIGTERM
 * (batches in flight finish) and audits the schema. Not thread-safe.
 */
public final class HttpBench {
  /** The capped subject's limit over HTTP. */
  public static final long CAP = 5_000;
  /** Requests per batch call. */
  public static final int BATCH = 100;

  private final Postgres db;
  private final Options options;
  private final Path jar;

  /** Scenarios on {@code db} against the server in {@code jar}. */
  public HttpBench(Postgres db, Options options, Path jar) {
    this.db = db;
    this.options = options;
    this.jar = jar;
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

  /** Closed loop: single consumes or batches of {@value #BATCH}, spread or hot. */
  public Row closedLoop(boolean batch, Shape shape, int callers) throws Exception {
    try (Fixture f = new Fixture(shape == Shape.SPREAD)) {
      ConsumeOverHttp workload = ConsumeOverHttp.of(f.server.port(), f.key, batch ? BATCH : 0,
          shape == Shape.HOT ? Subjects.HOT : null, f.expectation);
      Measurement m = ClosedLoop.run(workload, callers, options.warmup(), options.duration());
      return f.finish(Row.of(name(batch), shape, Integer.toString(callers), m, null, note(m, batch)), Map.of());
    }
  }

  /** The deny path over HTTP: single consumes on the capped subject, no warm-up. */
  public Row capped(int callers) throws Exception {
    try (Fixture f = new Fixture(false)) {
      ConsumeOverHttp workload = ConsumeOverHttp.of(f.server.port(), f.key, 0, Subjects.CAPPED, f.expectation);
      Measurement m = ClosedLoop.run(workload, callers, Duration.ZERO, options.duration());
      Map<String, Long> caps = f.expectation.deniedDecisions() > 0 ? Map.of(Subjects.CAPPED, CAP) : Map.of();
      return f.finish(Row.of("http consume capped(" + CAP / 1000 + "k)", Shape.HOT, Integer.toString(callers), m, null,
          note(m, false)), caps);
    }
  }

  /** Open loop on spread subjects at {@code decisionsPerSecond}, single or batched. */
  public Row openLoop(boolean batch, double decisionsPerSecond, int connections) throws Exception {
    try (Fixture f = new Fixture(true)) {
      ConsumeOverHttp workload = ConsumeOverHttp.of(f.server.port(), f.key, batch ? BATCH : 0, null, f.expectation);
      double callsPerSecond = decisionsPerSecond / workload.decisionsPerCall();
      Measurement m = OpenLoop.run(workload, callsPerSecond, connections, options.warmup(), options.duration());
      return f.finish(
          Row.of(name(batch) + " open-loop", Shape.SPREAD, String.format(Locale.ROOT, "@%,.0f/s", decisionsPerSecond), m,
              null, note(m, batch)),
          Map.of());
    }
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

  /** A fresh schema and a server on it, set up; stopped, audited and dropped on finish. */
  private final class Fixture implements AutoCloseable {
    final String schema;
    final ServerProcess server;
    final String key;
    final Expectation expectation = new Expectation();
    private boolean stopped;

    Fixture(boolean spreadSubjects) throws Exception {
      schema = db.createSchema("qb_http");
      String adminKey = "qk_bench_" + UUID.randomUUID().toString().replace("-", "");
      Path dir = Files.createTempDirectory("quotient-bench-server");
      server = ServerProcess.start(jar, db.url(), schema, adminKey, ServerSetup.settings(dir, CAP), List.of(),
          dir.resolve("server.log"));
      try {
        key = ServerSetup.prepare(server.port(), adminKey, spreadSubjects, expectation);
      } catch (Exception e) {
        System.out.println("  server log " + server.log() + ":\n" + server.tail());
        server.close();
        throw e;
      }
    }

    Row finish(Row row, Map<String, Long> exactCaps) throws Exception {
      stopServer();
      AuditResult audit = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, exactCaps);
      Alarm.sound(row.scenario() + " " + row.shape().label() + " x" + row.callers(), audit, System.out);
      return row.withAudit(audit.label());
    }

    private void stopServer() throws InterruptedException {
      if (!stopped) {
        stopped = true;
        server.close();
      }
    }

    @Override
    public void close() throws Exception {
      stopServer();
      if (!options.keepSchemas()) {
        db.dropSchema(schema);
      }
    }
  }
}
