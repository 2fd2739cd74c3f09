package io.quotient.monitor.analytics;

import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.monitor.projection.Batch;
import io.quotient.monitor.projection.Handler;
import io.quotient.monitor.projection.Remembered;
import io.quotient.monitor.sql.Sql;
import io.quotient.status.MetricStatus;
import io.quotient.status.SubjectStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds each batch of the feed into the rollups, in the batch's transaction (so the rows and the
 * projection's cursor commit together and every event counts exactly once, whatever the number of
 * instances).
 *
 * <p>What counts: a granted consume adds its units to {@code granted} (and its bonus and overage
 * parts) on the UTC day of the event; a committed reservation adds the committed units (a hold is
 * not usage until committed); a refund adds to {@code refunded}; a denied consume or reservation
 * adds one denial to each of its metrics. Every consume and reservation counts as one decision of
 * its hour, and a denied one as one denial.
 *
 * <p>The latest usage comes from the decision itself for consumes and reservations (their items
 * carry the usage after), and is re-read from the engine for the events that do not carry it
 * (refunds, settlements, grants, resets, plan changes of a subject). The feed's order is not always
 * the order in which a subject's decisions were made (it is by transaction id, taken at a
 * transaction's first write, before it may wait for a counter): a decision that shows less usage
 * than the row holds for the same window and limit is older than the one that wrote the row, and is
 * passed over. Only re-reads lower a row.
 */
final class RollupProjection implements Handler {
  private final Quotient engine;
  /** The window end and band of each latest-usage row as this handler left it (only it writes them). */
  private final Remembered<UsageKey, Stored> stored = new Remembered<>(100_000);

  RollupProjection(Quotient engine) {
    this.engine = engine;
  }

  /** One row's additions. */
  private static final class Day {
    long granted;
    long refunded;
    long denials;
    long fromBonus;
    long overage;
  }

  /** One hour's additions. */
  private static final class Hour {
    long decisions;
    long denials;
  }

  /** A latest-usage row; {@code decided} when it comes from a decision's items, not a re-read. */
  private record Latest(long used, Long limit, Instant windowStart, Instant resetsAt, boolean decided) {
    /** Whether this decision was made before the one that left {@code written} (null: no row). */
    boolean olderThan(Latest written) {
      return decided && written != null && windowStart.equals(written.windowStart()) && Objects.equals(limit, written.limit())
          && used < written.used();
    }

    /** The later of two rows in feed order: the second, unless it is an older decision. */
    static Latest later(Latest first, Latest second) {
      return second.olderThan(first) ? first : second;
    }
  }

  /** What monitor_usage holds for a key: the row and its band ({@link #ABSENT}: no row). */
  private record Stored(Latest row, int band) {}

  /** No row: like an unlimited one, it is in no band. */
  private static final Stored ABSENT = new Stored(null, -1);

  @Override
  public void handle(Batch batch) throws SQLException {
    stored.begin(batch);
    Map<DayKey, Day> days = new LinkedHashMap<>();
    Map<Instant, Hour> hours = new LinkedHashMap<>();
    Map<UsageKey, Latest> latest = new LinkedHashMap<>();
    Set<String> reread = new HashSet<>();
    Map<String, Long> planSubjects = new LinkedHashMap<>();
    for (Event event : batch.events()) {
      if (event.subject() == null) {
        continue;
      }
      LocalDate day = LocalDate.ofInstant(event.at(), ZoneOffset.UTC);
      switch (event.type()) {
        case CONSUME, RESERVE -> {
          boolean allowed = Boolean.TRUE.equals(event.allowed());
          Hour hour = hours.computeIfAbsent(event.at().truncatedTo(ChronoUnit.HOURS), h -> new Hour());
          hour.decisions++;
          if (!allowed) {
            hour.denials++;
          }
          for (EventItem item : event.items()) {
            Day d = days.computeIfAbsent(new DayKey(event.subject(), item.metric(), day), k -> new Day());
            if (!allowed) {
              d.denials++;
              continue;
            }
            if (event.type() == io.quotient.event.EventType.CONSUME) {
              d.granted = Math.addExact(d.granted, item.amount());
              d.fromBonus = Math.addExact(d.fromBonus, item.fromBonus());
              d.overage = Math.addExact(d.overage, item.overage());
            }
            if (item.used() != null && item.windowStart() != null) {
              latest.merge(new UsageKey(event.subject(), item.metric()),
                  new Latest(Math.addExact(item.used(), item.held()), item.limit(), item.windowStart(), item.resetsAt(), true),
                  Latest::later);
            }
          }
        }
        case COMMIT -> {
          for (EventItem item : event.items()) {
            Day d = days.computeIfAbsent(new DayKey(event.subject(), item.metric(), day), k -> new Day());
            d.granted = Math.addExact(d.granted, item.amount());
            d.fromBonus = Math.addExact(d.fromBonus, item.fromBonus());
            d.overage = Math.addExact(d.overage, item.overage());
          }
          reread.add(event.subject());
        }
        case REFUND -> {
          for (EventItem item : event.items()) {
            Day d = days.computeIfAbsent(new DayKey(event.subject(), item.metric(), day), k -> new Day());
            d.refunded = Math.addExact(d.refunded, item.amount());
          }
          reread.add(event.subject());
        }
        case SUBJECT_CHANGE -> {
          String plan = event.detail().get("plan");
          String before = event.detail().get("planBefore");
          if (plan != null && !plan.equals(before)) {
            planSubjects.merge(plan, 1L, Long::sum);
            if (before != null) {
              planSubjects.merge(before, -1L, Long::sum);
            }
          }
          reread.add(event.subject());
        }
        case RELEASE, EXPIRE, GRANT, RESET -> reread.add(event.subject());
        default -> {}
      }
    }
    Connection c = batch.connection();
    writeDays(c, days);
    writeHours(c, hours);
    writePlanSubjects(c, planSubjects);
    Map<String, Set<String>> planMetrics = new LinkedHashMap<>();
    // Read after the batch's events: the latest usage wins over what the batch's decisions said.
    // One pass (a pass per re-read subject was quadratic: minutes for a step of 50,000 creations),
    // and one read of them all (one per subject was six statements each: a third of this
    // projection's CPU while it folded a bench's 10,000 creations, JFR). A subject gone from the
    // engine is left out: nothing to show for it.
    latest.keySet().removeIf(k -> reread.contains(k.subject()));
    for (Map.Entry<String, SubjectStatus> status : engine.statuses(reread).entrySet()) {
      String subject = status.getKey();
      Set<String> metrics = new HashSet<>();
      planMetrics.put(subject, metrics);
      for (MetricStatus m : status.getValue().metrics()) {
        metrics.add(m.metric());
        if (m.windowStart() != null) {
          latest.put(new UsageKey(subject, m.metric()),
              new Latest(Math.addExact(m.used(), m.held()), m.limit(), m.windowStart(), m.resetsAt(), false));
        }
      }
    }
    Map<BandKey, Long> deltas = new LinkedHashMap<>();
    dropMetricsLeft(c, planMetrics, deltas);
    writeLatest(c, latest, deltas);
    stored.end(batch);
  }

  /**
   * Deletes the latest-usage rows of metrics a re-read subject's plan no longer has (a plan change),
   * taking them out of their bands.
   */
  private void dropMetricsLeft(Connection c, Map<String, Set<String>> planMetrics, Map<BandKey, Long> deltas)
      throws SQLException {
    if (planMetrics.isEmpty()) {
      return;
    }
    // One statement for all of them (one per subject: 48 of the projection's 618 JFR samples while
    // it folded 10,000 creations); the (subject, metric) pairs their plans still have are kept.
    List<String> subjects = new ArrayList<>(planMetrics.keySet());
    List<String> keptSubjects = new ArrayList<>();
    List<String> keptMetrics = new ArrayList<>();
    planMetrics.forEach((subject, metrics) -> {
      for (String metric : metrics) {
        keptSubjects.add(subject);
        keptMetrics.add(metric);
      }
    });
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM monitor_usage u WHERE u.subject = ANY(?) AND NOT EXISTS"
            + " (SELECT 1 FROM unnest(?::text[], ?::text[]) AS k(s, m) WHERE k.s = u.subject AND k.m = u.metric)"
            + " RETURNING u.subject, u.metric, u.resets_at, u.percent")) {
      ps.setArray(1, c.createArrayOf("text", subjects.toArray()));
      ps.setArray(2, c.createArrayOf("text", keptSubjects.toArray()));
      ps.setArray(3, c.createArrayOf("text", keptMetrics.toArray()));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          java.time.OffsetDateTime resets = rs.getObject(3, java.time.OffsetDateTime.class);
          double p = rs.getDouble(4);
          int band = band(rs.wasNull() ? null : p);
          if (band >= 0) {
            deltas.merge(new BandKey(rs.getString(2), resets == null ? null : resets.toInstant(), band), -1L, Long::sum);
          }
          stored.put(new UsageKey(rs.getString(1), rs.getString(2)), ABSENT);
        }
      }
    }
  }

  private record DayKey(String subject, String metric, LocalDate day) {}

  private record UsageKey(String subject, String metric) {}

  private static void writeDays(Connection c, Map<DayKey, Day> days) throws SQLException {
    if (days.isEmpty()) {
      return;
    }
    // One statement over arrays, not a JDBC batch of one statement per row: PostgreSQL runs one
    // plan for the step instead of thousands (see writeLatest).
    int n = days.size();
    String[] subjects = new String[n];
    String[] metrics = new String[n];
    long[] epochDays = new long[n];
    long[] granted = new long[n];
    long[] refunded = new long[n];
    long[] denials = new long[n];
    long[] fromBonus = new long[n];
    long[] overage = new long[n];
    int i = 0;
    for (Map.Entry<DayKey, Day> e : days.entrySet()) {
      Day d = e.getValue();
      subjects[i] = e.getKey().subject();
      metrics[i] = e.getKey().metric();
      epochDays[i] = e.getKey().day().toEpochDay();
      granted[i] = d.granted;
      refunded[i] = d.refunded;
      denials[i] = d.denials;
      fromBonus[i] = d.fromBonus;
      overage[i] = d.overage;
      i++;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO monitor_daily_usage AS d (subject, metric, day, granted, refunded, denials, from_bonus, overage)"
            + " SELECT s, m, DATE '1970-01-01' + e::int, g, r, n, b, o"
            + " FROM unnest(?::text[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[])"
            + " AS x(s, m, e, g, r, n, b, o)"
            + " ON CONFLICT (subject, metric, day) DO UPDATE SET"
            + " granted = d.granted + excluded.granted, refunded = d.refunded + excluded.refunded,"
            + " denials = d.denials + excluded.denials, from_bonus = d.from_bonus + excluded.from_bonus,"
            + " overage = d.overage + excluded.overage")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setArray(2, c.createArrayOf("text", metrics));
      ps.setObject(3, epochDays);
      ps.setObject(4, granted);
      ps.setObject(5, refunded);
      ps.setObject(6, denials);
      ps.setObject(7, fromBonus);
      ps.setObject(8, overage);
      ps.executeUpdate();
    }
  }

  private static void writePlanSubjects(Connection c, Map<String, Long> planSubjects) throws SQLException {
    planSubjects.values().removeIf(v -> v == 0);
    if (planSubjects.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO monitor_plan_subjects AS p (plan, subjects) VALUES (?, ?)"
            + " ON CONFLICT (plan) DO UPDATE SET subjects = p.subjects + excluded.subjects")) {
      for (Map.Entry<String, Long> e : planSubjects.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setLong(2, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void writeHours(Connection c, Map<Instant, Hour> hours) throws SQLException {
    if (hours.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO monitor_hourly_decisions AS h (hour, decisions, denials) VALUES (?, ?, ?)"
            + " ON CONFLICT (hour) DO UPDATE SET decisions = h.decisions + excluded.decisions,"
            + " denials = h.denials + excluded.denials")) {
      for (Map.Entry<Instant, Hour> e : hours.entrySet()) {
        ps.setTimestamp(1, Timestamp.from(e.getKey()));
        ps.setLong(2, e.getValue().decisions);
        ps.setLong(3, e.getValue().denials);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The band of a share: 0 for [0,10) … 9 for [90,100), 10 for 100% and more; -1 when unlimited. */
  static int band(Double percent) {
    return percent == null ? -1 : (int) Math.min(10, Math.floor(percent / 10));
  }

  /**
   * The bit length of {@code used}: it orders rows as {@code used} does and changes a few dozen
   * times a window at most, so monitor_usage is indexed on it and most updates stay in place.
   */
  static int magnitude(long used) {
    return Long.SIZE - Long.numberOfLeadingZeros(used);
  }

  private record BandKey(String metric, Instant resetsAt, int band) {}

  private void writeLatest(Connection c, Map<UsageKey, Latest> latest, Map<BandKey, Long> deltas)
      throws SQLException {
    // Move each row's count from its old band (and window end) to its new one; the old ones this
    // handler does not remember are read. No row lock: only this projection writes monitor_usage,
    // one step at a time, so the rows read cannot change before this step's writes.
    Map<UsageKey, Stored> old = new HashMap<>();
    List<UsageKey> unknown = stored.recall(latest.keySet(), old);
    for (UsageKey key : unknown) {
      old.put(key, ABSENT); // unless the row is found below
    }
    if (!unknown.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT u.subject, u.metric, u.resets_at, u.percent, u.used, u.\"limit\", u.window_start FROM monitor_usage u"
              + " JOIN unnest(?::text[], ?::text[]) AS k(subject, metric) ON u.subject = k.subject AND u.metric = k.metric")) {
        ps.setArray(1, c.createArrayOf("text", unknown.stream().map(UsageKey::subject).toArray()));
        ps.setArray(2, c.createArrayOf("text", unknown.stream().map(UsageKey::metric).toArray()));
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            java.time.OffsetDateTime resets = rs.getObject(3, java.time.OffsetDateTime.class);
            double p = rs.getDouble(4);
            int band = band(rs.wasNull() ? null : p);
            long limitOrZero = rs.getLong(6);
            Long limit = rs.wasNull() ? null : limitOrZero;
            Latest row = new Latest(rs.getLong(5), limit, rs.getObject(7, java.time.OffsetDateTime.class).toInstant(),
                resets == null ? null : resets.toInstant(), false);
            old.put(new UsageKey(rs.getString(1), rs.getString(2)), new Stored(row, band));
          }
        }
      }
    }
    // A decision older than the row's (see the class comment) leaves the row, and its band, as they are.
    latest.entrySet().removeIf(e -> e.getValue().olderThan(old.get(e.getKey()).row()));
    old.keySet().retainAll(latest.keySet());
    for (Map.Entry<UsageKey, Stored> e : old.entrySet()) {
      if (e.getValue().band() >= 0) {
        deltas.merge(new BandKey(e.getKey().metric(), e.getValue().row().resetsAt(), e.getValue().band()), -1L, Long::sum);
      }
    }
    for (Map.Entry<UsageKey, Latest> e : latest.entrySet()) {
      Latest l = e.getValue();
      int band = band(Analytics.percent(l.used(), l.limit()));
      if (band >= 0) {
        deltas.merge(new BandKey(e.getKey().metric(), l.resetsAt(), band), 1L, Long::sum);
      }
      stored.put(e.getKey(), new Stored(l, band));
    }
    deltas.values().removeIf(v -> v == 0);
    if (!deltas.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO monitor_usage_bands AS b (metric, resets_at, band, subjects) VALUES (?, coalesce(?::timestamptz, 'infinity'::timestamptz), ?, ?)"
              + " ON CONFLICT (metric, resets_at, band) DO UPDATE SET subjects = b.subjects + excluded.subjects")) {
        for (Map.Entry<BandKey, Long> d : deltas.entrySet()) {
          ps.setString(1, d.getKey().metric());
          ps.setTimestamp(2, d.getKey().resetsAt() == null ? null : Timestamp.from(d.getKey().resetsAt()));
          ps.setInt(3, d.getKey().band());
          ps.setLong(4, d.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    // One statement over arrays: a JDBC batch of one upsert per row cost PostgreSQL 16 µs a row on
    // this table, the arrays 10 µs (8,000 rows, both measured; a plan per row against one plan).
    int n = latest.size();
    String[] subjects = new String[n];
    String[] metrics = new String[n];
    long[] used = new long[n];
    Long[] limits = new Long[n];
    Double[] percents = new Double[n];
    Integer[] bands = new Integer[n];
    int[] magnitudes = new int[n];
    long[] windowStarts = new long[n];
    Long[] resets = new Long[n];
    int i = 0;
    for (Map.Entry<UsageKey, Latest> e : latest.entrySet()) {
      Latest l = e.getValue();
      subjects[i] = e.getKey().subject();
      metrics[i] = e.getKey().metric();
      used[i] = l.used();
      limits[i] = l.limit();
      percents[i] = Analytics.percent(l.used(), l.limit());
      int band = band(percents[i]);
      bands[i] = band < 0 ? null : band;
      magnitudes[i] = magnitude(l.used());
      windowStarts[i] = Sql.micros(l.windowStart());
      resets[i] = l.resetsAt() == null ? null : Sql.micros(l.resetsAt());
      i++;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO monitor_usage (subject, metric, used, \"limit\", percent, band, magnitude, window_start, resets_at)"
            + " SELECT s, m, u, l, p, b, g, " + Sql.FROM_MICROS.formatted("w") + ", " + Sql.FROM_MICROS.formatted("r")
            + " FROM unnest(?::text[], ?::text[], ?::int8[], ?::int8[], ?::float8[], ?::int2[], ?::int2[], ?::int8[], ?::int8[])"
            + " AS x(s, m, u, l, p, b, g, w, r)"
            + " ON CONFLICT (subject, metric) DO UPDATE SET used = excluded.used,"
            + " \"limit\" = excluded.\"limit\", percent = excluded.percent, band = excluded.band,"
            + " magnitude = excluded.magnitude, window_start = excluded.window_start, resets_at = excluded.resets_at")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setArray(2, c.createArrayOf("text", metrics));
      ps.setObject(3, used);
      ps.setArray(4, c.createArrayOf("int8", limits));
      ps.setArray(5, c.createArrayOf("float8", percents));
      ps.setArray(6, c.createArrayOf("int2", bands));
      ps.setObject(7, magnitudes);
      ps.setObject(8, windowStarts);
      ps.setArray(9, c.createArrayOf("int8", resets));
      ps.executeUpdate();
    }
  }
}
