package io.quotient.monitor.alert;

import static io.quotient.monitor.sql.Sql.instant;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.engine.Quotient;
import io.quotient.monitor.projection.Projection;
import io.quotient.monitor.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The alert rules and the alerts: what the HTTP API reads and writes. The alerts themselves are
 * written only by the {@linkplain #projection projection}. Thread-safe.
 */
public final class Alerts {
  /** The projection's name (its cursor row). */
  public static final String PROJECTION = "alerts";

  private final DataSource dataSource;
  private final Clock clock;

  /** The rules and alerts in {@code dataSource}'s database (the monitor's tables migrated). */
  public Alerts(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The projection that decides alerts from the feed (from the events committed after it first
   * started: history is not alerted on).
   */
  public Projection projection(Quotient engine) {
    return new Projection(PROJECTION, Projection.Start.NOW, new AlertProjection(engine));
  }

  /**
   * Creates or replaces the rule {@code rule.name()}. Refused (field {@code plan}) when another
   * rule already has the same plan and metric.
   */
  public AlertRule putRule(AlertRule rule) {
    Objects.requireNonNull(rule, "rule");
    Instant now = clock.instant();
    return run(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO monitor_alert_rules (name, plan, metric, thresholds, updated_at) VALUES (?, ?, ?, ?, ?)"
                  + " ON CONFLICT (name) DO UPDATE SET plan = excluded.plan, metric = excluded.metric,"
                  + " thresholds = excluded.thresholds, updated_at = excluded.updated_at")) {
        ps.setString(1, rule.name());
        ps.setString(2, rule.plan());
        ps.setString(3, rule.metric());
        ps.setArray(4, c.createArrayOf("int4", rule.thresholds().toArray(new Integer[0])));
        ps.setObject(5, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
        ps.executeUpdate();
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          throw new InvalidArgumentException(
              "plan",
              "another rule already covers plan " + (rule.plan() == null ? "(any)" : rule.plan()) + " and metric "
                  + (rule.metric() == null ? "(any)" : rule.metric()));
        }
        throw e;
      }
      return new AlertRule(rule.name(), rule.plan(), rule.metric(), rule.thresholds(), now);
    });
  }

  /** The rule named {@code name}. */
  public Optional<AlertRule> rule(String name) {
    Names.requireName(name, "name");
    return run(c -> rules(c, name).stream().findFirst());
  }

  /** Every rule, by name. */
  public List<AlertRule> rules() {
    return run(c -> rules(c, null));
  }

  /** Deletes the rule; false when there was none by that name. */
  public boolean deleteRule(String name) {
    Names.requireName(name, "name");
    return run(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitor_alert_rules WHERE name = ?")) {
        ps.setString(1, name);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Alerts matching {@code query}, newest first. */
  public List<Alert> list(AlertQuery query) {
    Objects.requireNonNull(query, "query");
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, subject, metric, threshold, level, state, window_start, resets_at, used, \"limit\", triggered_at,"
                + " resolved_at, resolved_reason FROM monitor_alerts WHERE true");
    List<String> args = new ArrayList<>();
    if (query.state() != null) {
      sql.append(" AND state = ?");
      args.add(query.state());
    }
    if (query.subject() != null) {
      sql.append(" AND subject = ?");
      args.add(query.subject());
    }
    if (query.metric() != null) {
      sql.append(" AND metric = ?");
      args.add(query.metric());
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(query.limit());
    return run(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setString(i + 1, args.get(i));
        }
        List<Alert> alerts = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            alerts.add(
                new Alert(
                    rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6),
                    instant(rs, 7), instant(rs, 8), rs.getLong(9), rs.getLong(10), instant(rs, 11), instant(rs, 12),
                    rs.getString(13)));
          }
        }
        return alerts;
      }
    });
  }

  static List<AlertRule> rules(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, plan, metric, thresholds, updated_at FROM monitor_alert_rules"
                + (name == null ? "" : " WHERE name = ?") + " ORDER BY name")) {
      if (name != null) {
        ps.setString(1, name);
      }
      List<AlertRule> rules = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array array = rs.getArray(4);
          List<Integer> thresholds = Arrays.asList((Integer[]) array.getArray());
          rules.add(new AlertRule(rs.getString(1), rs.getString(2), rs.getString(3), thresholds, instant(rs, 5)));
        }
      }
      return rules;
    }
  }


  private <T> T run(Sql.Work<T> work) {
    return Sql.autocommit(dataSource, "alerts", work);
  }
}
