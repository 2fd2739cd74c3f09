package io.quotient.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored idempotency keys: scoped to the subject (DESIGN §2: not to the credential, so a retry
 * through another service key or a rotated one replays), each with the fingerprint of its first
 * request (operation included) and the event that recorded the first decision, written in the same
 * transaction as that decision.
 */
final class Idempotency {
  private Idempotency() {}

  /** A key as scoped: to its subject. */
  record Ref(String subject, String key) {
    /** The name the key is held under while in flight in this engine (ids never hold NUL). */
    String inFlightName() {
      return subject + '\u0000' + key;
    }
  }

  /** A stored key. */
  record Stored(String fingerprint, long eventId) {}

  /** A key to store. */
  record Row(Ref ref, String fingerprint, long eventId) {}

  static Map<Ref, Stored> find(Connection c, List<Ref> refs) throws SQLException {
    Map<Ref, Stored> found = new HashMap<>();
    if (refs.isEmpty()) {
      return found;
    }
    String[] subjects = new String[refs.size()];
    String[] keys = new String[refs.size()];
    for (int i = 0; i < refs.size(); i++) {
      subjects[i] = refs.get(i).subject();
      keys[i] = refs.get(i).key();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT k.subject, k.key, k.fingerprint, k.event_id FROM idempotency_keys k"
                + " JOIN unnest(?::text[], ?::text[]) AS u(subject, key) USING (subject, key)")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setArray(2, c.createArrayOf("text", keys));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(new Ref(rs.getString(1), rs.getString(2)), new Stored(rs.getString(3), rs.getLong(4)));
        }
      }
    }
    return found;
  }

  /**
   * Stores the keys. When another engine stored one of them first (its transaction committed while
   * this one ran), this batch must run again to replay that decision instead: throws {@link Jdbc.Retry}.
   */
  static void insert(Connection c, List<Row> rows, Instant now) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    int n = rows.size();
    String[] subjects = new String[n];
    String[] keys = new String[n];
    String[] fingerprints = new String[n];
    Long[] events = new Long[n];
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      subjects[i] = row.ref().subject();
      keys[i] = row.ref().key();
      fingerprints[i] = row.fingerprint();
      events[i] = row.eventId();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO idempotency_keys (subject, key, fingerprint, event_id, created_at)"
                + " SELECT u.*, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS u"
                + " ON CONFLICT DO NOTHING")) {
      Store.setInstant(ps, 1, now);
      ps.setArray(2, c.createArrayOf("text", subjects));
      ps.setArray(3, c.createArrayOf("text", keys));
      ps.setArray(4, c.createArrayOf("text", fingerprints));
      ps.setArray(5, c.createArrayOf("int8", events));
      if (ps.executeUpdate() != n) {
        throw new Jdbc.Retry("an idempotency key was stored by another engine meanwhile");
      }
    }
  }

  /** Deletes keys created before {@code cutoff}, a bounded number at a time; returns how many. */
  static int purge(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < ?"
                + " LIMIT ? FOR UPDATE SKIP LOCKED)")) {
      Store.setInstant(ps, 1, cutoff);
      ps.setInt(2, limit);
      return ps.executeUpdate();
    }
  }
}
