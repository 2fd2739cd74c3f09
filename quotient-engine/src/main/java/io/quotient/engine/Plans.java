package io.quotient.engine;

import io.quotient.ConflictException;
import io.quotient.event.EventType;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.plan.PlanPrice;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plan rows: every change bumps the plan's version, which tells engines to reload it. */
final class Plans {
  private Plans() {}

  /** Creates or replaces the plan; returns its new version. */
  static long put(Connection c, Plan plan, Instant now) throws SQLException {
    long version;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO plans (name, version, updated_at, price_amount, price_currency, price_per, upgrade_url)"
                + " VALUES (?, 1, ?, ?, ?, ?, ?) ON CONFLICT (name)"
                + " DO UPDATE SET version = plans.version + 1, updated_at = excluded.updated_at,"
                + " price_amount = excluded.price_amount, price_currency = excluded.price_currency,"
                + " price_per = excluded.price_per, upgrade_url = excluded.upgrade_url RETURNING version")) {
      ps.setString(1, plan.name());
      Store.setInstant(ps, 2, now);
      PlanPrice price = plan.price();
      ps.setBigDecimal(3, price == null ? null : price.amount());
      ps.setString(4, price == null ? null : price.currency().getCurrencyCode());
      ps.setString(5, price == null ? null : price.per().name());
      ps.setString(6, plan.upgradeUrl());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        version = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM plan_limits WHERE plan = ?")) {
      ps.setString(1, plan.name());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO plan_limits (plan, metric, quota, period, enforcement, overage_amount, overage_currency,"
                + " rate_per_second, rate_burst) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, Limit> entry : plan.limits().entrySet()) {
        Limit limit = entry.getValue();
        ps.setString(1, plan.name());
        ps.setString(2, entry.getKey());
        ps.setObject(3, limit.limit(), java.sql.Types.BIGINT);
        ps.setString(4, limit.period().name());
        ps.setString(5, limit.enforcement().name());
        ps.setBigDecimal(6, limit.overagePrice() == null ? null : limit.overagePrice().amount());
        ps.setString(7, limit.overagePrice() == null ? null : limit.overagePrice().currency().getCurrencyCode());
        ps.setObject(8, limit.rate() == null ? null : limit.rate().perSecond(), java.sql.Types.BIGINT);
        ps.setObject(9, limit.rate() == null ? null : limit.rate().burst(), java.sql.Types.BIGINT);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return version;
  }

  /**
   * Deletes the plan unless subjects are on it; returns false when there was no such plan. The plan
   * row is locked first, so a subject moving onto it concurrently either commits first (and the
   * delete is refused) or fails its foreign key.
   */
  static boolean delete(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM plans WHERE name = ? FOR UPDATE")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
      }
    }
    long on;
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM subjects WHERE plan = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        on = rs.getLong(1);
      }
    }
    if (on > 0) {
      throw new ConflictException(
          ConflictException.Kind.PLAN_IN_USE, on + " subject(s) are on plan '" + name + "': move them first");
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM plans WHERE name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
    return true;
  }

  static Events.Row deletedEvent(long id, Instant now, String name, String scope) {
    return Events.row(id, now, EventType.PLAN_DELETE).actor(scope).detail(Json.object(Map.of("plan", name))).build();
  }

  static Events.Row changedEvent(long id, Instant now, Plan plan, long version, String scope) {
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("plan", plan.name());
    detail.put("version", Long.toString(version));
    plan.limits()
        .forEach(
            (metric, limit) ->
                detail.put(
                    "limits." + metric,
                    (limit.isUnlimited() ? "unlimited" : limit.limit().toString())
                        + "/" + limit.period().wireName() + "/" + limit.enforcement().wireName()));
    if (plan.price() != null) {
      detail.put("price", plan.price().amount().toPlainString() + " " + plan.price().currency().getCurrencyCode()
          + "/" + plan.price().per().wireName());
    }
    return Events.row(id, now, EventType.PLAN_CHANGE).actor(scope).detail(Json.object(detail)).build();
  }
}
