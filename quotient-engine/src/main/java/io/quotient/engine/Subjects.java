package io.quotient.engine;

import io.quotient.event.EventType;
import io.quotient.subject.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Subject rows: reading, creating and moving them between plans. */
final class Subjects {
  private Subjects() {}

  static Subject find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, plan, billing_anchor, ARRAY(SELECT key FROM jsonb_each_text(metadata) ORDER BY key),"
                + " ARRAY(SELECT value FROM jsonb_each_text(metadata) ORDER BY key) FROM subjects WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String[] keys = (String[]) rs.getArray(4).getArray();
        String[] values = (String[]) rs.getArray(5).getArray();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
          metadata.put(keys[i], values[i]);
        }
        return new Subject(rs.getString(1), rs.getString(2), Store.instant(rs, 3), metadata);
      }
    }
  }

  /** Creates or updates the subject; returns its plan before (null when it is new). */
  static String put(Connection c, Subject subject, Instant now) throws SQLException {
    String before = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT plan FROM subjects WHERE id = ? FOR UPDATE")) {
      ps.setString(1, subject.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          before = rs.getString(1);
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO subjects (id, plan, billing_anchor, metadata, created_at, updated_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, billing_anchor = excluded.billing_anchor,"
                + " metadata = excluded.metadata, updated_at = excluded.updated_at")) {
      ps.setString(1, subject.id());
      ps.setString(2, subject.plan());
      Store.setInstant(ps, 3, subject.billingAnchor());
      ps.setString(4, Json.object(subject.metadata()));
      Store.setInstant(ps, 5, now);
      Store.setInstant(ps, 6, now);
      ps.executeUpdate();
    }
    return before;
  }

  static Events.Row createdEvent(long id, Instant now, String subject, String plan, String scope) {
    return changedEvent(id, now, subject, null, plan, scope);
  }

  static Events.Row changedEvent(long id, Instant now, String subject, String before, String after, String scope) {
    Map<String, String> detail = new LinkedHashMap<>();
    if (before != null) {
      detail.put("planBefore", before);
    }
    detail.put("plan", after);
    return Events.row(id, now, EventType.SUBJECT_CHANGE).subject(subject).actor(scope).detail(Json.object(detail)).build();
  }
}
