package io.quotient.engine;

import io.quotient.decision.ItemDecision;
import io.quotient.event.EventType;
import io.quotient.grant.Grant;
import io.quotient.grant.GrantRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Grant rows: adding and listing them; using them is the {@link Decider}'s job. */
final class Grants {
  private Grants() {}

  static Grant insert(Connection c, GrantRequest request, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE subjects SET has_grants = true WHERE id = ? AND NOT has_grants")) {
      ps.setString(1, request.subject());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO grants (subject, metric, amount, expires_at, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " RETURNING id")) {
      ps.setString(1, request.subject());
      ps.setString(2, request.metric());
      ps.setLong(3, request.amount());
      Store.setInstant(ps, 4, request.expiresAt());
      ps.setString(5, request.reason());
      Store.setInstant(ps, 6, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Grant(
            rs.getLong(1), request.subject(), request.metric(), request.amount(), 0, request.expiresAt(), request.reason(), now);
      }
    }
  }

  static List<Grant> of(Connection c, String subject) throws SQLException {
    List<Grant> grants = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, metric, amount, used, expires_at, reason, created_at FROM grants WHERE subject = ?"
                + " ORDER BY id DESC")) {
      ps.setString(1, subject);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          grants.add(
              new Grant(
                  rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), Store.instant(rs, 6),
                  rs.getString(7), Store.instant(rs, 8)));
        }
      }
    }
    return grants;
  }

  /** The subject's grants of {@code metric} that have units used and are not expired, locked. */
  static List<BonusGrant> usedAndActive(Connection c, String subject, String metric, Instant now) throws SQLException {
    List<BonusGrant> grants = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, metric, amount, used, expires_at FROM grants WHERE subject = ? AND metric = ? AND used > 0"
                + " AND (expires_at IS NULL OR expires_at > ?) ORDER BY id FOR UPDATE")) {
      ps.setString(1, subject);
      ps.setString(2, metric);
      Store.setInstant(ps, 3, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          grants.add(
              new BonusGrant(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), Store.instant(rs, 6)));
        }
      }
    }
    return grants;
  }

  static Events.Row grantedEvent(long id, Grant grant, String scope) {
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("grantId", Long.toString(grant.id()));
    if (grant.expiresAt() != null) {
      detail.put("expiresAt", grant.expiresAt().toString());
    }
    if (grant.reason() != null) {
      detail.put("reason", grant.reason());
    }
    return Events.row(id, grant.createdAt(), EventType.GRANT)
        .subject(grant.subject())
        .actor(scope)
        .items(List.of(ItemDecision.of(grant.metric(), grant.amount()).build()))
        .detail(Json.object(detail))
        .build();
  }
}
