package io.quotient.engine;

import io.quotient.event.EventType;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.subject.LimitOverride;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-subject limits: their rows, and the one place a plan becomes a subject's effective plan (the
 * plan with the subject's active overrides in place of its limits). Expiry is lazy: an expired
 * override is simply not applied, so no job has to run when it ends.
 */
final class Overrides {
  private Overrides() {}

  /** {@code plan} with the overrides active at {@code now}; {@code plan} itself when none applies. */
  static Plan apply(Plan plan, Map<String, LimitOverride> overrides, Instant now) {
    if (overrides.isEmpty()) {
      return plan;
    }
    Map<String, Limit> limits = null;
    for (Map.Entry<String, LimitOverride> entry : overrides.entrySet()) {
      Limit limit = plan.limitOf(entry.getKey());
      if (limit == null || !entry.getValue().isActiveAt(now)) {
        continue;
      }
      if (limits == null) {
        limits = new HashMap<>(plan.limits());
      }
      limits.put(entry.getKey(),
          new Limit(entry.getValue().limit(), limit.period(), limit.enforcement(), limit.overagePrice(), limit.rate()));
    }
    return limits == null ? plan : new Plan(plan.name(), limits);
  }

  /** {@code plan} or {@code override}: where the limit of {@code metric} comes from now. */
  static String sourceOf(String metric, Map<String, LimitOverride> overrides, Instant now) {
    LimitOverride override = overrides.get(metric);
    return override != null && override.isActiveAt(now) ? "override" : "plan";
  }

  /** The overrides of each subject in {@code ids} that has any. */
  static Map<String, Map<String, LimitOverride>> of(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Map<String, LimitOverride>> all = new HashMap<>();
    if (ids.isEmpty()) {
      return all;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT subject, metric, quota, expires_at FROM subject_overrides WHERE subject = ANY(?)")) {
      ps.setArray(1, Store.texts(c, ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), new LimitOverride(Events.nullableLong(rs, 3), Store.instant(rs, 4)));
        }
      }
    }
    return all;
  }

  /** One subject's overrides (expired ones included, until replaced). */
  static Map<String, LimitOverride> of(Connection c, String id) throws SQLException {
    return of(c, java.util.List.of(id)).getOrDefault(id, Map.of());
  }

  /** Replaces the subject's overrides with {@code overrides}; the subject row must be locked. */
  static void replace(Connection c, String id, Map<String, LimitOverride> overrides, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM subject_overrides WHERE subject = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO subject_overrides (subject, metric, quota, expires_at, created_at) VALUES (?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, LimitOverride> entry : overrides.entrySet()) {
        ps.setString(1, id);
        ps.setString(2, entry.getKey());
        ps.setObject(3, entry.getValue().limit(), java.sql.Types.BIGINT);
        Store.setInstant(ps, 4, entry.getValue().expiresAt());
        Store.setInstant(ps, 5, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE subjects SET has_overrides = ? WHERE id = ?")) {
      ps.setBoolean(1, !overrides.isEmpty());
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  /** The audit trail's record of a change: each metric's override before and after. */
  static Events.Row changedEvent(
      long eventId, Instant now, String subject, Map<String, LimitOverride> before, Map<String, LimitOverride> after,
      String actor) {
    Map<String, String> detail = new LinkedHashMap<>();
    TreeMap<String, Boolean> metrics = new TreeMap<>();
    before.keySet().forEach(m -> metrics.put(m, true));
    after.keySet().forEach(m -> metrics.put(m, true));
    for (String metric : metrics.keySet()) {
      detail.put("before." + metric, describe(before.get(metric)));
      detail.put("after." + metric, describe(after.get(metric)));
    }
    return Events.row(eventId, now, EventType.OVERRIDE).subject(subject).actor(actor).detail(Json.object(detail)).build();
  }

  private static String describe(LimitOverride override) {
    if (override == null) {
      return "plan";
    }
    String limit = override.limit() == null ? "unlimited" : override.limit().toString();
    return override.expiresAt() == null ? limit : limit + " until " + override.expiresAt();
  }
}
