package io.quotient.monitor.alert;

import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.event.EventType;
import io.quotient.event.NewEvent;
import io.quotient.monitor.projection.Batch;
import io.quotient.monitor.projection.Handler;
import io.quotient.monitor.projection.Remembered;
import io.quotient.monitor.sql.Sql;
import io.quotient.status.MetricStatus;
import io.quotient.status.SubjectStatus;
import io.quotient.subject.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides threshold alerts from the feed, one batch at a time in the batch's transaction.
 *
 * <p><b>State.</b> The firing rows of {@code monitor_alerts} are the state: for a subject ×
 * metric, the thresholds crossed in the current window. Each decision's usage after it is compared
 * with that state: thresholds reached and not firing fire (one {@code alert.triggered} listing them
 * all, however many a jump crossed); firing thresholds no longer reached resolve (one
 * {@code alert.resolved} naming them); firing rows of an earlier window resolve as
 * {@code window_ended} (a new window re-arms). Because the rows, the appended events and the
 * projection's cursor commit together, and only one instance holds the projection at a time,
 * each crossing has exactly one row and one event whatever the number of instances.
 *
 * <p><b>Which usage.</b> Consumes and reservations carry the usage after them, exactly, and only
 * they fire. Refunds, settlements, expiries, grants, resets and plan changes of a subject only
 * resolve: their events do not carry the allowance left, so the subject's usage is re-read with
 * {@link Quotient#status} when they are handled. That reading may be later than the event (when the
 * projection runs behind): it may then resolve an alert that a later decision, still to be handled,
 * fires again; it never fires one of its own, so a subject's creation or a grant read late cannot
 * fire an alert that the decisions after it would fire again.
 *
 * <p><b>Feed order is not decision order.</b> The feed orders events by transaction id, which a
 * transaction takes at its first write: one that took its id, then waited for a counter another
 * transaction held, commits after that other one and yet comes before it in the feed. So two
 * decisions of a subject can come in the opposite order to the one in which they were made, the
 * older showing less usage than the newer already handled. A decision's usage therefore only fires:
 * when it shows less than a firing threshold, the subject's usage is re-read, and only what the
 * re-read shows fallen resolves (a limit raised with no event of its own, say); a stale decision
 * resolves nothing.
 */
final class AlertProjection implements Handler {
  private final Quotient engine;
  /**
   * The firing rows of the subjects lately seen, by metric then threshold (an empty map: none), as
   * this handler left them: only it writes monitor_alerts. Without it each step read them for
   * every subject it saw, though on nearly all of them nothing fires.
   */
  private final Remembered<String, Map<String, Map<Integer, Firing>>> firingRows = new Remembered<>(100_000);

  AlertProjection(Quotient engine) {
    this.engine = engine;
  }

  @Override
  public void handle(Batch batch) throws SQLException {
    Connection c = batch.connection();
    List<AlertRule> rules = Alerts.rules(c, null);
    boolean rulesByPlan = rules.stream().anyMatch(r -> r.plan() != null);
    Set<String> subjects = new HashSet<>();
    for (Event event : batch.events()) {
      if (event.subject() != null && relevant(event)) {
        subjects.add(event.subject());
      }
    }
    firingRows.begin(batch);
    if (subjects.isEmpty()) {
      firingRows.end(batch); // nothing changed: what is remembered still holds
      return;
    }
    // The state's maps are the remembered ones: the batch changes them in place.
    State state = new State(c, batch, rules, rulesByPlan, firing(c, subjects));
    for (Event event : batch.events()) {
      if (event.subject() == null || !relevant(event)) {
        continue;
      }
      switch (event.type()) {
        case CONSUME, RESERVE -> {
          for (EventItem item : event.items()) {
            if (item.limit() != null && item.remaining() != null && item.windowStart() != null) {
              state.evaluate(
                  event,
                  null,
                  new Usage(item.metric(), item.limit(), item.used(), item.remaining(), item.bonusRemaining(),
                      item.windowStart(), item.resetsAt()),
                  true);
            }
          }
        }
        case REFUND, COMMIT, RELEASE, EXPIRE, GRANT, TRANSFER -> state.reread(event, metricsOf(event));
        case OVERRIDE -> state.reread(event, null);
        case RESET -> {
          String metric = event.detail().get("metric");
          state.reread(event, metric == null || metric.equals("*") ? null : Set.of(metric));
        }
        case SUBJECT_CHANGE -> {
          state.plans.put(event.subject(), event.detail().get("plan"));
          if (event.detail().get("planBefore") != null) { // a subject just created has nothing to resolve
            state.reread(event, null);
          }
        }
        default -> {}
      }
    }
    firingRows.end(batch);
  }

  private static boolean relevant(Event event) {
    return switch (event.type()) {
      case CONSUME, RESERVE -> Boolean.TRUE.equals(event.allowed());
      case REFUND, COMMIT, RELEASE, EXPIRE, GRANT, RESET, SUBJECT_CHANGE, TRANSFER, OVERRIDE -> true;
      default -> false;
    };
  }

  private static Set<String> metricsOf(Event event) {
    Set<String> metrics = new HashSet<>();
    for (EventItem item : event.items()) {
      metrics.add(item.metric());
    }
    return metrics;
  }

  private static String reason(EventType type) {
    return switch (type) {
      case REFUND -> "refund";
      case GRANT -> "grant";
      case RESET -> "reset";
      case SUBJECT_CHANGE -> "plan_changed";
      case RELEASE -> "released";
      case EXPIRE -> "expired";
      case COMMIT -> "committed";
      case TRANSFER -> "transfer";
      case OVERRIDE -> "override";
      default -> "usage_changed";
    };
  }

  /** A firing row. */
  private record Firing(long id, Instant windowStart, long used, long limit, Instant resetsAt) {}

  /**
   * The firing rows of these subjects, by subject (every one of them), then metric, then threshold:
   * those remembered, the others read.
   */
  private Map<String, Map<String, Map<Integer, Firing>>> firing(Connection c, Set<String> subjects) throws SQLException {
    Map<String, Map<String, Map<Integer, Firing>>> firing = new HashMap<>();
    List<String> unknown = firingRows.recall(subjects, firing);
    if (unknown.isEmpty()) {
      return firing;
    }
    for (String subject : unknown) {
      firing.put(subject, new HashMap<>());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT subject, metric, threshold, id, window_start, used, \"limit\", resets_at FROM monitor_alerts"
                + " WHERE state = 'firing' AND subject = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("text", unknown.toArray(new String[0])));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          firing
              .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .computeIfAbsent(rs.getString(2), k -> new HashMap<>())
              .put(rs.getInt(3), new Firing(rs.getLong(4), Sql.instant(rs, 5), rs.getLong(6), rs.getLong(7), Sql.instant(rs, 8)));
        }
      }
    }
    for (String subject : unknown) {
      firingRows.put(subject, firing.get(subject));
    }
    return firing;
  }

  /** What one batch knows and changes. */
  private final class State {
    final Connection c;
    final Batch batch;
    final List<AlertRule> rules;
    final boolean rulesByPlan;
    final Map<String, Map<String, Map<Integer, Firing>>> firing;
    final Map<String, String> plans = new HashMap<>();

    State(Connection c, Batch batch, List<AlertRule> rules, boolean rulesByPlan,
        Map<String, Map<String, Map<Integer, Firing>>> firing) {
      this.c = c;
      this.batch = batch;
      this.rules = rules;
      this.rulesByPlan = rulesByPlan;
      this.firing = firing;
    }

    /** Re-reads the subject's usage of {@code metrics} (null: all of its plan's) and evaluates it. */
    void reread(Event cause, Set<String> metrics) throws SQLException {
      SubjectStatus status = engine.status(cause.subject());
      plans.put(cause.subject(), status.subject().plan());
      Set<String> seen = new HashSet<>();
      for (MetricStatus m : status.metrics()) {
        seen.add(m.metric());
        if ((metrics == null || metrics.contains(m.metric())) && m.limit() != null && m.remaining() != null) {
          Instant start = m.windowStart() == null ? Instant.EPOCH : m.windowStart();
          evaluate(cause, status.subject().plan(),
              new Usage(m.metric(), m.limit(), m.used(), m.remaining(), m.bonusRemaining(), start, m.resetsAt()), false);
        }
      }
      // A metric the plan no longer limits (an upgrade to unlimited, a metric dropped) resolves.
      Map<String, Map<Integer, Firing>> ofSubject = firing.getOrDefault(cause.subject(), Map.of());
      for (String metric : new ArrayList<>(ofSubject.keySet())) {
        if ((metrics == null || metrics.contains(metric)) && !seenLimited(status, metric)) {
          Map<Integer, Firing> rows = ofSubject.get(metric);
          if (!rows.isEmpty()) {
            Firing any = rows.values().iterator().next();
            resolve(cause, metric, new TreeSet<>(rows.keySet()), rows, reason(cause.type()), any.used(), any.limit(), null,
                any.windowStart(), any.resetsAt());
          }
        }
      }
    }

    private boolean seenLimited(SubjectStatus status, String metric) {
      for (MetricStatus m : status.metrics()) {
        if (m.metric().equals(metric)) {
          return m.limit() != null && m.remaining() != null;
        }
      }
      return false;
    }

    /**
     * Compares {@code u} with the state: fires what it reaches (only when {@code mayFire}: the exact
     * usage a decision left) and resolves what it no longer reaches.
     */
    void evaluate(Event cause, String knownPlan, Usage u, boolean mayFire) throws SQLException {
      Map<Integer, Firing> rows =
          firing.computeIfAbsent(cause.subject(), k -> new HashMap<>()).computeIfAbsent(u.metric(), k -> new HashMap<>());
      // An event of an earlier window than the state's (a late settlement): the state is newer.
      for (Firing row : rows.values()) {
        if (row.windowStart().isAfter(u.windowStart())) {
          return;
        }
      }
      // A new window re-arms: what fired in an earlier one resolves.
      Map<Instant, TreeSet<Integer>> earlier = new LinkedHashMap<>();
      rows.forEach((t, row) -> {
        if (row.windowStart().isBefore(u.windowStart())) {
          earlier.computeIfAbsent(row.windowStart(), w -> new TreeSet<>()).add(t);
        }
      });
      for (TreeSet<Integer> thresholds : earlier.values()) {
        Firing any = rows.get(thresholds.first());
        resolve(cause, u.metric(), thresholds, rows, "window_ended", any.used(), any.limit(), null, any.windowStart(), any.resetsAt());
      }
      List<Integer> thresholds = thresholdsFor(cause.subject(), knownPlan, u.metric());
      TreeSet<Integer> reached = new TreeSet<>();
      for (int t : thresholds) {
        if (u.reaches(t) && !rows.containsKey(t)) {
          reached.add(t);
        }
      }
      TreeSet<Integer> fallen = new TreeSet<>();
      for (int t : rows.keySet()) {
        if (!u.reaches(t)) {
          fallen.add(t);
        }
      }
      if (mayFire && !reached.isEmpty()) {
        trigger(cause, u, reached, rows);
      }
      if (!fallen.isEmpty()) {
        if (mayFire) {
          reread(cause, Set.of(u.metric())); // a decision may be older than one already handled
        } else {
          resolve(cause, u.metric(), fallen, rows, reason(cause.type()), u.used(), u.limit(), u.remaining(), u.windowStart(),
              u.resetsAt());
        }
      }
    }

    private List<Integer> thresholdsFor(String subject, String knownPlan, String metric) throws SQLException {
      if (rules.isEmpty()) {
        return AlertRule.DEFAULT_THRESHOLDS;
      }
      String plan = null;
      if (rulesByPlan) {
        plan = knownPlan != null ? knownPlan : plans.get(subject);
        if (plan == null) {
          plan = engine.subject(subject).map(Subject::plan).orElse(null);
          plans.put(subject, plan);
        }
      }
      // The most specific rule: plan and metric, then plan, then metric, then neither.
      AlertRule best = null;
      int bestScore = -1;
      for (AlertRule rule : rules) {
        boolean planOk = rule.plan() == null || rule.plan().equals(plan);
        boolean metricOk = rule.metric() == null || rule.metric().equals(metric);
        if (planOk && metricOk) {
          int score = (rule.plan() != null ? 2 : 0) + (rule.metric() != null ? 1 : 0);
          if (score > bestScore) {
            best = rule;
            bestScore = score;
          }
        }
      }
      return best == null ? AlertRule.DEFAULT_THRESHOLDS : best.thresholds();
    }

    private void trigger(Event cause, Usage u, TreeSet<Integer> thresholds, Map<Integer, Firing> rows) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO monitor_alerts (subject, metric, window_start, resets_at, threshold, level, state, used, \"limit\","
                  + " triggered_at) VALUES (?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?) RETURNING id")) {
        for (int t : thresholds) {
          ps.setString(1, cause.subject());
          ps.setString(2, u.metric());
          setInstant(ps, 3, u.windowStart());
          setInstant(ps, 4, u.resetsAt());
          ps.setInt(5, t);
          ps.setString(6, AlertRule.level(t));
          ps.setLong(7, u.used());
          ps.setLong(8, u.limit());
          setInstant(ps, 9, cause.at());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            rows.put(t, new Firing(rs.getLong(1), u.windowStart(), u.used(), u.limit(), u.resetsAt()));
          }
        }
      }
      Map<String, String> detail = detail(u.metric(), thresholds, u.used(), u.limit(), u.remaining(), u.windowStart(), u.resetsAt());
      detail.put("level", AlertRule.level(thresholds.last()));
      batch.append(new NewEvent(EventType.ALERT_TRIGGERED, cause.at(), cause.subject(), detail));
    }

    private void resolve(
        Event cause, String metric, TreeSet<Integer> thresholds, Map<Integer, Firing> rows, String reason, long used, long limit,
        Long remaining, Instant windowStart, Instant resetsAt) throws SQLException {
      List<Long> ids = new ArrayList<>();
      for (int t : thresholds) {
        ids.add(rows.remove(t).id());
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitor_alerts SET state = 'resolved', resolved_at = ?, resolved_reason = ? WHERE id = ANY(?)")) {
        setInstant(ps, 1, cause.at());
        ps.setString(2, reason);
        ps.setArray(3, c.createArrayOf("int8", ids.toArray(new Long[0])));
        ps.executeUpdate();
      }
      Map<String, String> detail = detail(metric, thresholds, used, limit, remaining, windowStart, resetsAt);
      detail.put("reason", reason);
      batch.append(new NewEvent(EventType.ALERT_RESOLVED, cause.at(), cause.subject(), detail));
    }

    private static Map<String, String> detail(
        String metric, TreeSet<Integer> thresholds, long used, long limit, Long remaining, Instant windowStart, Instant resetsAt) {
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("metric", metric);
      StringBuilder csv = new StringBuilder();
      for (int t : thresholds) {
        csv.append(csv.isEmpty() ? "" : ",").append(t);
      }
      detail.put("thresholds", csv.toString());
      detail.put("used", Long.toString(used));
      detail.put("limit", Long.toString(limit));
      if (remaining != null) {
        detail.put("remaining", Long.toString(remaining));
      }
      detail.put("windowStart", windowStart.toString());
      if (resetsAt != null) {
        detail.put("resetsAt", resetsAt.toString());
      }
      return detail;
    }

    private static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
      ps.setObject(index, instant == null ? null : java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
    }
  }
}
