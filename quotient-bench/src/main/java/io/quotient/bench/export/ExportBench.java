package io.quotient.bench.export;

import io.quotient.bench.Options;
import io.quotient.bench.audit.Postgres;
import io.quotient.bench.http.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@link Options#exportRows()} counter rows of November 2026 straight into a fresh schema
 * (four metrics per subject), then streams {@code GET /v1/exports/usage?period=2026-11&format=csv}
 * from a server whose heap is capped at {@value #HEAP_MB} MB, and prints the rows, the time, the
 * bytes and the server's peak heap in use (the largest "before" of its GC log's collections). A
 * server that held the rows in memory would need several times that heap for a million rows.
 * Not thread-safe.
 */
public final class ExportBench {
  static final int HEAP_MB = 128;
  private static final int METRICS = 4;
  private static final Pattern BEFORE = Pattern.compile("GC\\(\\d+\\) Pause.* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private final Postgres db;
  private final Options options;
  private final Path jar;
  private final PrintStream out;

  /** The benchmark on {@code db} of the server in {@code jar}. */
  public ExportBench(Postgres db, Options options, Path jar, PrintStream out) {
    this.db = db;
    this.options = options;
    this.jar = jar;
    this.out = out;
  }

  /** Runs it and prints its figures. */
  public void run() throws Exception {
    String schema = db.createSchema("qb_export");
    Path dir = Files.createTempDirectory("quotient-bench-export");
    Path gc = dir.resolve("gc.log");
    String adminKey = "qk_bench_" + UUID.randomUUID().toString().replace("-", "");
    try (ServerProcess server = ServerProcess.start(jar, db.url(), schema, adminKey, Map.of(),
        List.of("-Xmx" + HEAP_MB + "m", "-Xlog:gc:file=" + gc), dir.resolve("server.log"))) {
      long subjects = (options.exportRows() + METRICS - 1) / METRICS;
      long loadStart = System.nanoTime();
      load(schema, subjects);
      out.printf(Locale.ROOT, "  loaded %,d counter rows (%,d subjects x %d metrics) in %.1f s%n", subjects * METRICS,
          subjects, METRICS, (System.nanoTime() - loadStart) / 1e9);

      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/v1/exports/usage?period=2026-11&format=csv"))
          .header("Authorization", "Bearer " + adminKey).build();
      long start = System.nanoTime();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long firstByte = System.nanoTime();
      long bytes = 0;
      long lines = 0;
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = response.body()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          bytes += n;
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              lines++;
            }
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long rows = lines - 1;
      if (response.statusCode() != 200 || rows != subjects * METRICS) {
        throw new IllegalStateException("export answered " + response.statusCode() + " with " + rows + " rows, expected "
            + subjects * METRICS + ":\n" + server.tail());
      }
      double[] heap = peakHeapMb(gc);
      out.printf(Locale.ROOT, "  export: %,d rows, %.1f MB of CSV in %.2f s (%,.0f rows/s; first byte after %.0f ms)%n",
          rows, bytes / 1e6, seconds, rows / seconds, (firstByte - start) / 1e6);
      out.printf(Locale.ROOT, "  server heap (-Xmx%dm): peak in use %.1f MB, committed at most %.1f MB, over %d collections%n",
          HEAP_MB, heap[0], heap[1], (long) heap[2]);
    } finally {
      if (!options.keepSchemas()) {
        db.dropSchema(schema);
      }
    }
  }

  private void load(String schema, long subjects) throws Exception {
    long november = java.time.Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    try (Connection c = db.connect(schema); Statement s = c.createStatement()) {
      s.execute("INSERT INTO plans (name, version, updated_at) VALUES ('bench-export', 1, now())");
      for (int m = 0; m < METRICS; m++) {
        s.execute("INSERT INTO plan_limits (plan, metric, quota, period, enforcement, overage_amount, overage_currency)"
            + " VALUES ('bench-export', 'metric_" + m + "', 1000, 'MONTH', 'SOFT', 0.01, 'EUR')");
      }
      s.execute("INSERT INTO subjects (id, plan, billing_anchor, created_at, updated_at)"
          + " SELECT 'exp-' || lpad(i::text, 8, '0'), 'bench-export', now(), now(), now() FROM generate_series(1, "
          + subjects + ") i");
      s.execute("INSERT INTO counters (subject, metric, window_start, used, from_bonus, overage)"
          + " SELECT 'exp-' || lpad(i::text, 8, '0'), 'metric_' || m, " + november + ", 900 + (i % 200), 0,"
          + " greatest(0, 900 + (i % 200) - 1000) FROM generate_series(1, " + subjects + ") i, generate_series(0, "
          + (METRICS - 1) + ") m");
      s.execute("ANALYZE counters");
      s.execute("ANALYZE subjects");
    }
  }

  /** The largest heap in use before a collection, the largest committed, and the number of collections. */
  private static double[] peakHeapMb(Path gc) throws IOException {
    double peak = 0;
    double committed = 0;
    long collections = 0;
    for (String line : Files.readAllLines(gc, StandardCharsets.UTF_8)) {
      Matcher m = BEFORE.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, mb(m.group(1), m.group(2)));
        committed = Math.max(committed, mb(m.group(5), m.group(6)));
        collections++;
      }
    }
    return new double[] {peak, committed, collections};
  }

  private static double mb(String number, String unit) {
    double n = Double.parseDouble(number);
    return switch (unit) {
      case "K" -> n / 1024;
      case "G" -> n * 1024;
      default -> n;
    };
  }
}
