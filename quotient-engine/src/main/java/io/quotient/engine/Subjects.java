package io.quotient.engine;

import io.quotient.event.EventType;
import io.quotient.subject.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import io.quotient.subject.SubjectQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Subject rows: reading, creating and moving them between plans. */
final class Subjects {
  /** A subject's columns as {@link #read} takes them: metadata as sorted key and value arrays. */
  private static final String COLUMNS = "id, plan, billing_anchor,"
      + " ARRAY(SELECT key FROM jsonb_each_text(metadata) ORDER BY key),"
      + " ARRAY(SELECT value FROM jsonb_each_text(metadata) ORDER BY key)";

  private Subjects() {}

  /** The subject of the current row of a statement that selected {@link #COLUMNS}. */
  private static Subject read(ResultSet rs) throws SQLException {
    String[] keys = (String[]) rs.getArray(4).getArray();
    String[] values = (String[]) rs.getArray(5).getArray();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      metadata.put(keys[i], values[i]);
    }
    return new Subject(rs.getString(1), rs.getString(2), Store.instant(rs, 3), metadata);
  }

  static Subject find(Connection c, String id) throws SQLException {
    return find(c, List.of(id)).get(id);
  }

  /** The subjects of {@code ids} that exist, by id, in one statement. */
  static Map<String, Subject> find(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Subject> found = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM subjects WHERE id = ANY(?)")) {
      ps.setArray(1, Store.texts(c, ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Subject subject = read(rs);
          found.put(subject.id(), subject);
        }
      }
    }
    return found;
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

  /**
   * Up to {@code limit} subjects after {@code after} in id order that match the query's row filters
   * (plan, metadata pair, created since); usage filters are the caller's. One more row than asked
   * tells the caller there is more.
   */
  static List<Subject> page(Connection c, SubjectQuery query, String after, int limit) throws SQLException {
    List<Subject> subjects = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM subjects"
                + " WHERE (?::text IS NULL OR id > ?) AND (?::text IS NULL OR plan = ?)"
                + " AND (?::text IS NULL OR metadata @> jsonb_build_object(?::text, ?::text))"
                + " AND (?::timestamptz IS NULL OR created_at >= ?) ORDER BY id LIMIT ?")) {
      ps.setString(1, after);
      ps.setString(2, after);
      ps.setString(3, query.plan());
      ps.setString(4, query.plan());
      ps.setString(5, query.metadataKey());
      ps.setString(6, query.metadataKey());
      ps.setString(7, query.metadataValue());
      Store.setInstant(ps, 8, query.createdSince());
      Store.setInstant(ps, 9, query.createdSince());
      ps.setInt(10, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          subjects.add(read(rs));
        }
      }
    }
    return subjects;
  }

  /**
   * Deletes the subject and its counters, grants, reservations and idempotency keys; its events
   * stay (the audit trail). Returns its plan, or null when there was no such subject.
   */
  static String delete(Connection c, String id) throws SQLException {
    String plan;
    try (PreparedStatement ps = c.prepareStatement("SELECT plan FROM subjects WHERE id = ? FOR UPDATE")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        plan = rs.getString(1);
      }
    }
    for (String table : List.of("counters", "grants", "reservations", "idempotency_keys")) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE subject = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM subjects WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    return plan;
  }

  static Events.Row deletedEvent(long id, Instant now, String subject, String plan, String scope) {
    return Events.row(id, now, EventType.SUBJECT_DELETE).subject(subject).actor(scope)
        .detail(Json.object(Map.of("plan", plan))).build();
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
