package io.quotient.bench.cluster;

import io.quotient.bench.Options;
import io.quotient.bench.Subjects;
import io.quotient.bench.audit.Alarm;
import io.quotient.bench.audit.AuditResult;
import io.quotient.bench.audit.Expectation;
import io.quotient.bench.audit.LedgerAudit;
import io.quotient.bench.audit.Postgres;
import io.quotient.bench.http.HttpConnection;
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

/**
 * {@code bench/run cluster}: three server processes on one PostgreSQL schema, sharing burst limits
 * through one Redis ({@code QUOTIENT_REDIS_URL}), loaded round-robin over loopback. Three scenarios,
 * audited after each (granted == counters == events, nobody past a limit) and once more after the
 * survivors have stopped:
 *
 * <ol>
 *   <li>spread single consumes, for throughput across the instances;
 *   <li>rate-limited subjects ({@value #PER_SECOND}/s, burst {@value #BURST}) consumed through all
 *       three: each subject's grants must stay within one bucket, {@code burst + perSecond × T},
 *       where per-instance buckets would allow three times that;
 *   <li>spread consumes while one instance is killed with SIGKILL halfway: its callers move to the
 *       others; every answered grant must be in the database (only the calls that got no answer may
 *       or may not be).
 * </ol>
 * Not thread-safe.
 */
public final class ClusterBench {
  static final int INSTANCES = 3;
  static final long PER_SECOND = 5;
  static final long BURST = 20;
  static final int RATED_SUBJECTS = 4;
  static final String RATED_PLAN = "bench-rated";

  private final Postgres db;
  private final Options options;
  private final Path jar;
  private final PrintStream out;
  private final Expectation expectation = new Expectation();
  private final List<ServerProcess> servers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private String schema;
  private String key;

  public ClusterBench(Postgres db, Options options, Path jar, PrintStream out) {
    this.db = db;
    this.options = options;
    this.jar = jar;
    this.out = out;
  }

  /** Runs the three scenarios; returns their rows, with a last audit after the survivors stopped. */
  public List<Row> run(String redisUrl) throws Exception {
    List<Row> rows = new ArrayList<>();
    try {
      start(redisUrl);
      rows.add(spread());
      rows.add(burst());
      rows.add(killOne());
      stopAll();
      AuditResult last = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, Map.of());
      Alarm.sound("cluster, after the survivors stopped", last, out);
      out.println("  audit after the survivors stopped: " + last.label());
      if (!last.passed()) {
        Row failed = rows.remove(rows.size() - 1).withAudit("FAILED");
        rows.add(failed);
      }
      return rows;
    } finally {
      stopAll();
      if (schema != null && !options.keepSchemas()) {
        db.dropSchema(schema);
      }
    }
  }

  private void start(String redisUrl) throws Exception {
    schema = db.createSchema("qb_cluster");
    String adminKey = "qk_bench_" + UUID.randomUUID().toString().replace("-", "");
    Path dir = Files.createTempDirectory("quotient-bench-cluster");
    Map<String, String> settings = settings(dir, redisUrl);
    // One after the other: the first migrates the schema and installs the plans.
    for (int i = 0; i < INSTANCES; i++) {
      ServerProcess server =
          ServerProcess.start(jar, db.url(), schema, adminKey, settings, List.of(), dir.resolve("server-" + i + ".log"));
      servers.add(server);
      ports.add(server.port());
      out.println("  server " + i + ": pid " + server.pid() + ", port " + server.port() + ", log " + server.log());
    }
    out.println("  schema " + schema + ", Redis " + redisUrl);
    key = ServerSetup.prepare(ports.get(0), adminKey, true, expectation);
    try (HttpConnection admin = new HttpConnection("127.0.0.1", ports.get(1), adminKey)) {
      for (String subject : ratedSubjects()) {
        int status = admin.exchange("PUT", "/v1/subjects/" + subject, "{\"plan\":\"" + RATED_PLAN + "\"}");
        if (status != 200) {
          throw new IOException("PUT /v1/subjects/" + subject + " answered " + status + ": " + admin.bodyText());
        }
      }
    }
    Duration jit = options.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    out.println("  warming the servers' JIT up: " + jit.toSeconds() + " s of spread consumes through all three");
    ClosedLoop.run(spreadWorkload(), 64, Duration.ZERO, jit);
  }

  private Row spread() throws Exception {
    int callers = options.httpCallers().get(0);
    out.println("- cluster consume spread x" + callers + " (round-robin over " + INSTANCES + " instances)");
    Measurement m = ClosedLoop.run(spreadWorkload(), callers, options.warmup(), options.duration());
    return audited(Row.of("cluster consume (3 instances)", Shape.SPREAD, Integer.toString(callers), m, null,
        m.errors() > 0 ? m.errors() + " calls failed" : null));
  }

  private Row burst() throws Exception {
    int callers = 48;
    out.println("- cluster burst: " + RATED_SUBJECTS + " subjects at " + PER_SECOND + "/s, burst " + BURST
        + ", through all three instances");
    RoundRobin workload = new RoundRobin(ports, key, ratedSubjects(), Subjects.METRIC, expectation);
    long fallbacksBefore = fallbackDecisions();
    long started = System.nanoTime();
    Measurement m = ClosedLoop.run(workload, callers, Duration.ZERO, options.duration());
    double seconds = (System.nanoTime() - started) / 1e9;
    long fallbacks = fallbackDecisions() - fallbacksBefore;
    long bound = BURST + (long) Math.ceil(PER_SECOND * seconds);
    long most = 0;
    long least = Long.MAX_VALUE;
    for (int i = 0; i < RATED_SUBJECTS; i++) {
      most = Math.max(most, workload.granted(i));
      least = Math.min(least, workload.granted(i));
    }
    // Demand far above the rate (every subject denied most of the time), else the check says nothing.
    boolean limited = m.denied() > m.granted();
    boolean held = most <= bound && limited;
    // While Redis does not answer in time an instance decides on its own buckets (documented, and
    // counted on /metrics): then the shared bound does not apply, and the row says so.
    String verdict = held ? "held"
        : !limited ? "DEMAND BELOW THE RATE: NOTHING CHECKED"
        : fallbacks > 0 ? "exceeded while " + fallbacks + " requests were decided on local buckets (Redis slower than"
            + " the command timeout): the documented fallback"
        : "BURST LIMIT EXCEEDED";
    String note = String.format(Locale.ROOT,
        "per subject granted %d..%d in %.1f s; one shared bucket allows %d, per-instance buckets %d; %d fallback"
            + " decisions: %s",
        least, most, seconds, bound, INSTANCES * bound, fallbacks, verdict);
    out.println("  " + note);
    Row row = audited(Row.of("cluster burst-limited (3 instances)", Shape.HOT, Integer.toString(callers), m, null, note));
    return held || (limited && fallbacks > 0 && most <= INSTANCES * bound) ? row : row.withAudit("FAILED");
  }

  /** Requests the live instances decided on their own buckets since they started, from their /metrics. */
  private long fallbackDecisions() throws IOException {
    long total = 0;
    for (int i = 0; i < servers.size(); i++) {
      try (HttpConnection c = new HttpConnection("127.0.0.1", ports.get(i), null)) {
        if (c.exchange("GET", "/metrics", null) != 200) {
          throw new IOException("GET /metrics on instance " + i + " answered " + c.status());
        }
        for (String line : c.bodyText().split("\n")) {
          if (line.startsWith("quotient_redis_fallback_decisions_total")) {
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (Double.isNaN(value)) {
              throw new IOException("instance " + i + " reports no fallback count: " + line);
            }
            total += (long) value;
          }
        }
      }
    }
    return total;
  }

  private Row killOne() throws Exception {
    int callers = options.httpCallers().get(0);
    Duration half = options.duration().dividedBy(2);
    out.println("- cluster consume spread x" + callers + ", SIGKILL of instance 2 after " + half.toMillis() + " ms");
    ServerProcess victim = servers.get(2);
    Thread killer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(options.warmup().plus(half));
        victim.kill();
        out.println("  killed instance 2 (pid " + victim.pid() + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Measurement m = ClosedLoop.run(spreadWorkload(), callers, options.warmup(), options.duration());
    killer.join();
    String note = String.format(Locale.ROOT, "%d calls without an answer (outcome unknown, in the audit's slack)",
        expectation.unknownDecisions());
    return audited(Row.of("cluster consume, one kill -9", Shape.SPREAD, Integer.toString(callers), m, null, note));
  }

  private RoundRobin spreadWorkload() {
    List<String> subjects = new ArrayList<>(Subjects.SPREAD);
    for (int i = 0; i < Subjects.SPREAD; i++) {
      subjects.add(Subjects.spread(i));
    }
    return new RoundRobin(ports, key, subjects, Subjects.METRIC, expectation);
  }

  private List<String> ratedSubjects() {
    List<String> subjects = new ArrayList<>();
    String run = schema.substring(schema.length() - 8);
    for (int i = 0; i < RATED_SUBJECTS; i++) {
      subjects.add("rated-" + run + "-" + i);
    }
    return subjects;
  }

  private Row audited(Row row) throws Exception {
    AuditResult audit = LedgerAudit.check(db, schema, Subjects.METRIC, expectation, Map.of());
    Alarm.sound(row.scenario(), audit, out);
    return row.withAudit(audit.label());
  }

  private void stopAll() {
    for (ServerProcess server : servers) {
      server.close();
    }
  }

  private static Map<String, String> settings(Path dir, String redisUrl) throws IOException {
    Path plans = dir.resolve("cluster-plans.json");
    Files.writeString(plans, "{\"plans\":{"
        + "\"" + Subjects.BENCH_PLAN + "\":{\"limits\":{\"" + Subjects.METRIC + "\":{\"limit\":" + Subjects.BENCH_LIMIT
        + ",\"period\":\"month\",\"enforcement\":\"hard\"}}},"
        + "\"" + Subjects.CAPPED_PLAN + "\":{\"limits\":{\"" + Subjects.METRIC + "\":{\"limit\":5000"
        + ",\"period\":\"month\",\"enforcement\":\"hard\"}}},"
        + "\"" + RATED_PLAN + "\":{\"limits\":{\"" + Subjects.METRIC + "\":{\"limit\":" + Subjects.BENCH_LIMIT
        + ",\"period\":\"month\",\"enforcement\":\"hard\",\"rate\":{\"perSecond\":" + PER_SECOND + ",\"burst\":" + BURST
        + "}}}}}}");
    return Map.of(
        "QUOTIENT_PLANS_FILE", plans.toString(),
        "QUOTIENT_DEFAULT_PLAN", Subjects.BENCH_PLAN,
        "QUOTIENT_REDIS_URL", redisUrl,
        "QUOTIENT_POOL_SIZE", "10");
  }
}
