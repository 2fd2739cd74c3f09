package io.quotient.bench.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks one scenario's schema against what its callers were told. Reads the engine's tables
 * directly (they are the engine's migrations' {@code counters}, {@code events}, {@code subjects}
 * and {@code plan_limits}): paging millions of events through the public API would take longer
 * than the scenario itself.
 *
 * <p>The rules, all exact:
 * <ul>
 *   <li>granted units in answers == sum of counters' {@code used} == sum of granted consume events' amounts;
 *   <li>denials in answers == denied consume events;
 *   <li>no counter is past its subject's hard limit ({@code used - from_bonus - overage + held <= quota});
 *   <li>where a scenario caps a subject and asked for more than the cap, that subject used exactly the cap.
 * </ul>
 * When calls failed without an answer, their decisions may or may not be in the database; the
 * totals must then lie within that many units. Thread-safe (stateless).
 */
public final class LedgerAudit {
  private LedgerAudit() {}

  /**
   * Audits {@code schema}.
   *
   * @param exactCaps subjects whose usage must equal their cap exactly, by subject id
   */
  public static AuditResult check(Postgres db, String schema, String metric, Expectation expected, Map<String, Long> exactCaps)
      throws SQLException {
    List<String> problems = new ArrayList<>();
    long counterUnits;
    long eventUnits;
    long grantedEvents;
    long deniedEvents;
    long overLimit;
    try (Connection c = db.connect(schema)) {
      counterUnits = single(c, "SELECT coalesce(sum(used), 0) FROM counters WHERE metric = ?", metric);
      eventUnits =
          single(
              c,
              "SELECT coalesce(sum(x.amount), 0) FROM events e CROSS JOIN LATERAL json_to_recordset(e.items::json)"
                  + " AS x(metric text, amount bigint) WHERE e.type = 'consume' AND e.allowed AND x.metric = ?",
              metric);
      grantedEvents = single(c, "SELECT count(*) FROM events WHERE type = 'consume' AND allowed", null);
      deniedEvents = single(c, "SELECT count(*) FROM events WHERE type = 'consume' AND NOT allowed", null);
      overLimit =
          single(
              c,
              "SELECT count(*) FROM counters k JOIN subjects s ON s.id = k.subject"
                  + " JOIN plan_limits l ON l.plan = s.plan AND l.metric = k.metric"
                  + " WHERE l.quota IS NOT NULL AND l.enforcement = 'hard'"
                  + " AND k.used - k.from_bonus - k.overage + k.held > l.quota",
              null);
      for (var cap : exactCaps.entrySet()) {
        long used =
            single(c, "SELECT coalesce(sum(used), 0) FROM counters WHERE subject = '" + cap.getKey().replace("'", "''")
                + "' AND metric = ?", metric);
        if (used != cap.getValue()) {
          problems.add("subject " + cap.getKey() + " used " + used + " units but its cap is " + cap.getValue()
              + (used > cap.getValue() ? " (OVER-GRANTED)" : " (under-granted while demand exceeded the cap)"));
        }
      }
    }
    long slack = expected.unknownDecisions();
    long told = expected.grantedUnits();
    if (counterUnits != eventUnits) {
      problems.add("counters hold " + counterUnits + " units but granted events sum to " + eventUnits);
    }
    if (counterUnits < told || counterUnits > told + slack) {
      problems.add("callers were granted " + told + " units (+" + slack + " unknown) but the counters hold " + counterUnits
          + (counterUnits < told ? " (GRANTED UNITS LOST)" : ""));
    }
    if (deniedEvents < expected.deniedDecisions() || deniedEvents > expected.deniedDecisions() + slack) {
      problems.add("callers were denied " + expected.deniedDecisions() + " times but " + deniedEvents + " denials are recorded");
    }
    if (overLimit > 0) {
      problems.add(overLimit + " counters are past their hard limit (OVER-GRANTED)");
    }
    return new AuditResult(counterUnits, eventUnits, grantedEvents, deniedEvents, overLimit, problems);
  }

  private static long single(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (parameter != null) {
        ps.setString(1, parameter);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
