package io.quotient.bench.analytics;

import io.quotient.bench.audit.Postgres;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.analytics.Analytics;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.PlanPrice;
import io.quotient.storage.Database;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/run analytics}: {@code subjects} subjects on the example plans with 30 days of
 * daily rollups each (and their latest usage and 30 days of hourly decisions), written straight
 * into the monitor's tables of a fresh schema; then each analytics answer is timed, in process
 * (the engine and the monitor's {@link Analytics}, as the server calls them), for a number of calls
 * on random subjects after a warm-up, and its p50 / p99 / max printed against the 50 ms goal.
 */
public final class AnalyticsBench {
  /** The goal of the issue: every analytics answer under 50 ms at p99. */
  static final double GOAL_MS = 50;
  private static final String METRIC = "ai_generations";
  private static final int DAYS = 30;

  private final Postgres db;
  private final PrintStream out;

  public AnalyticsBench(Postgres db, PrintStream out) {
    this.db = db;
    this.out = out;
  }

  /** Builds the data for {@code subjects} subjects and times {@code calls} calls of each answer. */
  public boolean run(int subjects, int calls, boolean keepSchema) throws Exception {
    String schema = db.createSchema("qb_analytics");
    try (Database database = Database.external(db.url(), schema, 8)) {
      Clock clock = Clock.fixed(Instant.parse("2026-03-31T12:00:00Z"), ZoneOffset.UTC);
      try (Quotient engine = Quotient.builder(database.dataSource()).clock(clock).build()) {
        engine.putPlan(plan("free", 100, "0"), "bench");
        engine.putPlan(plan("starter", 1_000, "19"), "bench");
        engine.putPlan(plan("growth", 10_000, "49"), "bench");
        Monitor.migrate(database.dataSource(), schema);
        long started = System.nanoTime();
        load(database, schema, subjects, clock.instant());
        out.printf(Locale.ROOT, "  built %,d subjects x %d days of rollups (%,d rows) in %.1f s%n",
            subjects, DAYS, (long) subjects * DAYS, (System.nanoTime() - started) / 1e9);
        Analytics analytics = new Analytics(database.dataSource(), engine, clock);
        SplittableRandom random = new SplittableRandom(7);
        Map<String, IntConsumer> answers = new LinkedHashMap<>();
        answers.put("GET /v1/subjects/{id}/analytics?days=30",
            i -> analytics.subject(subject(random.nextInt(subjects)), 30));
        answers.put("GET /v1/subjects/{id}/recommendation",
            i -> analytics.recommendation(subject(random.nextInt(subjects)), "https://example.com/upgrade"));
        answers.put("GET /v1/analytics/near-limit?min=80 (page of 100)",
            i -> analytics.nearLimit(80, 0, 100));
        answers.put("GET /v1/analytics/near-limit?min=80&offset=1000",
            i -> analytics.nearLimit(80, 1000, 100));
        answers.put("GET /v1/analytics/denials?hours=24", i -> analytics.denials(24));
        answers.put("GET /v1/analytics/distribution?metric=" + METRIC, i -> analytics.distribution(METRIC));
        answers.put("GET /v1/analytics/top?metric=" + METRIC + "&limit=10", i -> analytics.top(METRIC, 10));
        boolean met = true;
        out.printf(Locale.ROOT, "  %-52s %9s %9s %9s  %s%n", "answer (" + calls + " calls each)", "p50 ms", "p99 ms", "max ms",
            "goal p99 < 50 ms");
        for (Map.Entry<String, IntConsumer> answer : answers.entrySet()) {
          for (int i = 0; i < Math.max(20, calls / 10); i++) {
            answer.getValue().accept(i);
          }
          Histogram h = new Histogram(3);
          for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            answer.getValue().accept(i);
            h.recordValue(System.nanoTime() - t);
          }
          double p99 = h.getValueAtPercentile(99) / 1e6;
          met &= p99 < GOAL_MS;
          out.printf(Locale.ROOT, "  %-52s %9.2f %9.2f %9.2f  %s%n", answer.getKey(), h.getValueAtPercentile(50) / 1e6,
              p99, h.getMaxValue() / 1e6, p99 < GOAL_MS ? "met" : "MISSED");
        }
        return met;
      }
    } finally {
      if (!keepSchema) {
        db.dropSchema(schema);
      }
    }
  }

  private static Plan plan(String name, long limit, String price) {
    return new Plan(name, Map.of(METRIC, Limit.of(limit, Period.MONTH), "exports", Limit.of(limit / 10, Period.MONTH)),
        new PlanPrice(new BigDecimal(price), Currency.getInstance("USD"), PlanPrice.Per.MONTH), null);
  }

  static String subject(int i) {
    return "sub-" + i;
  }

  /**
   * Subjects (70% free, 20% starter, 10% growth), 30 days of rollups for {@value #METRIC} with a
   * per-subject pace, the latest usage of the month (some subjects near or past their limit), and
   * hourly decisions: set-based statements, as a month of feed would have left them.
   */
  private static void load(Database database, String schema, int subjects, Instant now) throws Exception {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      c.setAutoCommit(true);
      st.execute("SET search_path TO " + schema);
      st.execute("INSERT INTO subjects (id, plan, billing_anchor, metadata, created_at, updated_at)"
          + " SELECT 'sub-' || i, CASE WHEN i % 10 < 7 THEN 'free' WHEN i % 10 < 9 THEN 'starter' ELSE 'growth' END,"
          + " '2026-01-01T00:00:00Z', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'"
          + " FROM generate_series(0, " + (subjects - 1) + ") i");
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO monitor_daily_usage (subject, metric, day, granted, refunded, denials, from_bonus, overage)"
              + " SELECT 'sub-' || i, ?, ?::date - d, (hashint4(i) & 7) + (d % 3), CASE WHEN d % 11 = 0 THEN 1 ELSE 0 END,"
              + " CASE WHEN hashint4(i * 31 + d) & 63 = 0 THEN 1 ELSE 0 END, 0, 0"
              + " FROM generate_series(0, " + (subjects - 1) + ") i, generate_series(0, " + (DAYS - 1) + ") d")) {
        ps.setString(1, METRIC);
        ps.setObject(2, today);
        ps.executeUpdate();
      }
      // The month so far (March 1-31): used = pace x 30, against each plan's limit.
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO monitor_usage (subject, metric, used, \"limit\", percent, band, magnitude, window_start, resets_at)"
              + " SELECT id, ?, u.used, l.quota, 100.0 * u.used / l.quota, least(10, floor(10.0 * u.used / l.quota)),"
              + " length(ltrim(u.used::bigint::bit(64)::text, '0')), ?, ?"
              + " FROM subjects s JOIN plan_limits l ON l.plan = s.plan AND l.metric = ?,"
              + " LATERAL (SELECT ((hashint4(substr(s.id, 5)::int) & 7) + 1) * 30 * CASE s.plan WHEN 'free' THEN 1"
              + " WHEN 'starter' THEN 4 ELSE 30 END / 8 AS used) u")) {
        ps.setString(1, METRIC);
        ps.setTimestamp(2, Timestamp.from(Instant.parse("2026-03-01T00:00:00Z")));
        ps.setTimestamp(3, Timestamp.from(Instant.parse("2026-04-01T00:00:00Z")));
        ps.setString(4, METRIC);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO monitor_hourly_decisions (hour, decisions, denials)"
              + " SELECT date_trunc('hour', ?::timestamptz) - h * interval '1 hour', 5000 + h, h % 50"
              + " FROM generate_series(0, " + (DAYS * 24 - 1) + ") h")) {
        ps.setTimestamp(1, Timestamp.from(now));
        ps.executeUpdate();
      }
      st.execute("INSERT INTO monitor_usage_bands (metric, resets_at, band, subjects)"
          + " SELECT metric, coalesce(resets_at, 'infinity'), least(floor(percent / 10), 10)::int, count(*)"
          + " FROM monitor_usage WHERE percent IS NOT NULL GROUP BY 1, 2, 3");
      st.execute("INSERT INTO monitor_plan_subjects (plan, subjects) SELECT plan, count(*) FROM subjects GROUP BY plan");
      // What autovacuum does after a bulk load: statistics, and the visibility map that lets
      // counts and the near-limit list read indexes only.
      for (String table : new String[] {"subjects", "monitor_daily_usage", "monitor_usage", "monitor_usage_bands"}) {
        st.execute("VACUUM (ANALYZE) " + table);
      }
    }
  }
}
