package io.quotient.engine;

import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.OveragePrice;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The SQL of the hot path: set-based statements over arrays (one round trip per step of a batch,
 * whatever its size), and row locks always taken in one order (counters by subject, metric and
 * window; then grants by id) so that writers never deadlock in the normal course.
 */
final class Store {
  private Store() {}

  /** A subject as a batch needs it. */
  record SubjectRow(
      String id, String plan, Instant anchor, long planVersion, boolean hasGrants,
      Map<String, io.quotient.subject.LimitOverride> overrides) {}

  /** A plan and its version, which changes on every update. */
  record VersionedPlan(Plan plan, long version) {}

  static Map<String, SubjectRow> subjects(Connection c, Collection<String> ids) throws SQLException {
    Map<String, SubjectRow> rows = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.id, s.plan, s.billing_anchor, p.version, s.has_grants, s.has_overrides FROM subjects s"
                + " JOIN plans p ON p.name = s.plan WHERE s.id = ANY(?)")) {
      ps.setArray(1, texts(c, ids));
      List<String> withOverrides = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(
              rs.getString(1),
              new SubjectRow(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getLong(4), rs.getBoolean(5), Map.of()));
          if (rs.getBoolean(6)) {
            withOverrides.add(rs.getString(1));
          }
        }
      }
      Overrides.of(c, withOverrides).forEach((id, overrides) -> {
        SubjectRow row = rows.get(id);
        rows.put(id, new SubjectRow(row.id(), row.plan(), row.anchor(), row.planVersion(), row.hasGrants(), overrides));
      });
    }
    return rows;
  }

  /** Creates the subjects that do not exist yet; returns the ids this call created. */
  static List<String> createSubjects(Connection c, Collection<String> ids, String plan, Instant now) throws SQLException {
    List<String> created = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO subjects (id, plan, billing_anchor, created_at, updated_at)"
                + " SELECT id, ?, ?, ?, ? FROM unnest(?::text[]) AS u(id) ORDER BY id"
                + " ON CONFLICT (id) DO NOTHING RETURNING id")) {
      ps.setString(1, plan);
      setInstant(ps, 2, now);
      setInstant(ps, 3, now);
      setInstant(ps, 4, now);
      ps.setArray(5, texts(c, ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          created.add(rs.getString(1));
        }
      }
    }
    return created;
  }

  static VersionedPlan plan(Connection c, String name) throws SQLException {
    long version;
    io.quotient.plan.PlanPrice planPrice;
    String upgradeUrl;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version, price_amount, price_currency, price_per, upgrade_url FROM plans WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        version = rs.getLong(1);
        planPrice = rs.getBigDecimal(2) == null ? null : new io.quotient.plan.PlanPrice(
            rs.getBigDecimal(2), Currency.getInstance(rs.getString(3)), io.quotient.plan.PlanPrice.Per.valueOf(rs.getString(4)));
        upgradeUrl = rs.getString(5);
      }
    }
    Map<String, Limit> limits = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT metric, quota, period, enforcement, overage_amount, overage_currency, rate_per_second, rate_burst"
                + " FROM plan_limits WHERE plan = ? ORDER BY metric")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long quota = rs.getLong(2);
          Long cap = rs.wasNull() ? null : quota;
          OveragePrice price =
              rs.getBigDecimal(5) == null ? null : new OveragePrice(rs.getBigDecimal(5), Currency.getInstance(rs.getString(6)));
          long perSecond = rs.getLong(7);
          Rate rate = rs.wasNull() ? null : new Rate(perSecond, rs.getLong(8));
          limits.put(
              rs.getString(1),
              new Limit(cap, Period.valueOf(rs.getString(3)), Enforcement.valueOf(rs.getString(4)), price, rate));
        }
      }
    }
    return new VersionedPlan(new Plan(name, limits, planPrice, upgradeUrl), version);
  }

  static List<String> planNames(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM plans ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /**
   * Loads the counters {@code keys} name into {@code state}; with {@code lock}, creates the missing
   * ones and locks them all (in key order) until the transaction ends.
   */
  static void loadCounters(Connection c, SortedSet<CounterKey> keys, BatchState state, boolean lock) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    List<CounterKey> missing = selectCounters(c, keys, state, lock);
    if (lock && !missing.isEmpty()) {
      insertCounters(c, missing);
      List<CounterKey> stillMissing = selectCounters(c, missing, state, true);
      if (!stillMissing.isEmpty()) {
        throw new IllegalStateException("counter rows vanished after insert: " + stillMissing);
      }
    }
  }

  private static List<CounterKey> selectCounters(
      Connection c, Collection<CounterKey> keys, BatchState state, boolean lock) throws SQLException {
    // Sorted keys drive one index probe each (a correlated subquery cannot become a scan of the
    // whole table), and the rows are locked in the keys' order.
    String sql =
        "SELECT c.subject, c.metric, c.window_start, c.used, c.from_bonus, c.overage, c.held"
            + " FROM (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[]) AS u(subject, metric, window_start)"
            + " ORDER BY 1, 2, 3) k"
            + " CROSS JOIN LATERAL (SELECT * FROM counters WHERE subject = k.subject AND metric = k.metric"
            + " AND window_start = k.window_start"
            + (lock ? " FOR UPDATE" : "")
            + ") c";
    int n = keys.size();
    String[] subjects = new String[n];
    String[] metrics = new String[n];
    Long[] windows = new Long[n];
    int i = 0;
    for (CounterKey key : keys) {
      subjects[i] = key.subject();
      metrics[i] = key.metric();
      windows[i++] = key.windowStart();
    }
    java.util.Set<CounterKey> found = new java.util.HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setArray(2, c.createArrayOf("text", metrics));
      ps.setArray(3, c.createArrayOf("int8", windows));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          CounterKey key = new CounterKey(rs.getString(1), rs.getString(2), rs.getLong(3));
          found.add(key);
          state.putCounter(new Counter(key, rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }
      }
    }
    List<CounterKey> missing = new ArrayList<>();
    for (CounterKey key : keys) {
      if (!found.contains(key)) {
        missing.add(key);
      }
    }
    return missing;
  }

  private static void insertCounters(Connection c, List<CounterKey> keys) throws SQLException {
    int n = keys.size();
    String[] subjects = new String[n];
    String[] metrics = new String[n];
    Long[] windows = new Long[n];
    for (int i = 0; i < n; i++) {
      subjects[i] = keys.get(i).subject();
      metrics[i] = keys.get(i).metric();
      windows[i] = keys.get(i).windowStart();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO counters (subject, metric, window_start)"
                + " SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[]) AS k(subject, metric, window_start)"
                + " ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setArray(2, c.createArrayOf("text", metrics));
      ps.setArray(3, c.createArrayOf("int8", windows));
      ps.executeUpdate();
    }
  }

  /** Writes back the counters a batch changed. */
  static void writeCounters(Connection c, Iterable<Counter> counters) throws SQLException {
    List<Counter> dirty = new ArrayList<>();
    for (Counter counter : counters) {
      if (counter.dirty) {
        dirty.add(counter);
      }
    }
    if (dirty.isEmpty()) {
      return;
    }
    int n = dirty.size();
    String[] subjects = new String[n];
    String[] metrics = new String[n];
    Long[] windows = new Long[n];
    Long[] used = new Long[n];
    Long[] fromBonus = new Long[n];
    Long[] overage = new Long[n];
    Long[] held = new Long[n];
    for (int i = 0; i < n; i++) {
      Counter counter = dirty.get(i);
      subjects[i] = counter.key.subject();
      metrics[i] = counter.key.metric();
      windows[i] = counter.key.windowStart();
      used[i] = counter.used;
      fromBonus[i] = counter.fromBonus;
      overage[i] = counter.overage;
      held[i] = counter.held;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE counters c SET used = u.used, from_bonus = u.from_bonus, overage = u.overage, held = u.held"
                + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
                + " AS u(subject, metric, window_start, used, from_bonus, overage, held)"
                + " WHERE c.subject = u.subject AND c.metric = u.metric AND c.window_start = u.window_start")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setArray(2, c.createArrayOf("text", metrics));
      ps.setArray(3, c.createArrayOf("int8", windows));
      ps.setArray(4, c.createArrayOf("int8", used));
      ps.setArray(5, c.createArrayOf("int8", fromBonus));
      ps.setArray(6, c.createArrayOf("int8", overage));
      ps.setArray(7, c.createArrayOf("int8", held));
      int updated = ps.executeUpdate();
      if (updated != n) {
        throw new IllegalStateException("wrote " + updated + " of " + n + " locked counters");
      }
    }
  }

  /**
   * Loads the subjects' grants that still have units into {@code state}, locked with {@code lock}
   * (after the counters, in id order).
   */
  static void loadGrants(Connection c, Collection<String> subjects, BatchState state, boolean lock) throws SQLException {
    if (subjects.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, metric, amount, used, expires_at FROM grants WHERE subject = ANY(?) AND used < amount"
                + " ORDER BY id"
                + (lock ? " FOR UPDATE" : ""))) {
      ps.setArray(1, texts(c, subjects));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          state.putGrant(
              new BonusGrant(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), instant(rs, 6)));
        }
      }
    }
    state.sortGrants();
  }

  static void writeGrants(Connection c, List<BonusGrant> grants) throws SQLException {
    List<BonusGrant> dirty = grants.stream().filter(g -> g.dirty).toList();
    if (dirty.isEmpty()) {
      return;
    }
    Long[] ids = new Long[dirty.size()];
    Long[] used = new Long[dirty.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = dirty.get(i).id;
      used[i] = dirty.get(i).used;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE grants g SET used = u.used FROM unnest(?::bigint[], ?::bigint[]) AS u(id, used) WHERE g.id = u.id")) {
      ps.setArray(1, c.createArrayOf("int8", ids));
      ps.setArray(2, c.createArrayOf("int8", used));
      ps.executeUpdate();
    }
  }

  static Array texts(Connection c, Collection<String> values) throws SQLException {
    return c.createArrayOf("text", values.toArray(new String[0]));
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    java.time.OffsetDateTime value = rs.getObject(column, java.time.OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
    }
  }
}
