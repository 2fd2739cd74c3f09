package io.quotient.engine;

import io.quotient.reservation.Reservation;
import io.quotient.reservation.ReservationState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reservation rows. A reservation's units live in its counters' {@code held} column while its
 * state is {@code held}; whoever moves it out of that state (commit, release, expiry) gives them
 * back in the same transaction, after locking the counters, and claims the row with a
 * conditional update so that exactly one of them does.
 */
final class Reservations {
  private Reservations() {}

  /** A reservation as stored. */
  record Row(
      String id, String subject, ReservationState state, List<String> metrics, List<Long> amounts, List<Long> windowStarts,
      Instant expiresAt, long eventId) {

    List<CounterKey> counterKeys() {
      List<CounterKey> keys = new ArrayList<>(metrics.size());
      for (int i = 0; i < metrics.size(); i++) {
        keys.add(new CounterKey(subject, metrics.get(i), windowStarts.get(i)));
      }
      return keys;
    }
  }

  static void insert(Connection c, List<Row> rows, Instant now) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservations (id, subject, state, metrics, amounts, window_starts, expires_at, created_at,"
                + " event_id) VALUES (?, ?, 'held', ?, ?, ?, ?, ?, ?)")) {
      for (Row row : rows) {
        ps.setString(1, row.id());
        ps.setString(2, row.subject());
        ps.setArray(3, c.createArrayOf("text", row.metrics().toArray(new String[0])));
        ps.setArray(4, c.createArrayOf("int8", row.amounts().toArray(new Long[0])));
        ps.setArray(5, c.createArrayOf("int8", row.windowStarts().toArray(new Long[0])));
        Store.setInstant(ps, 6, row.expiresAt());
        Store.setInstant(ps, 7, now);
        ps.setLong(8, row.eventId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static Row find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, state, metrics, amounts, window_starts, expires_at, event_id FROM reservations"
                + " WHERE id = ?")) {
      ps.setString(1, id);
      List<Row> rows = read(ps);
      return rows.isEmpty() ? null : rows.get(0);
    }
  }

  /**
   * The reservation {@code id} as it stands at {@code now}, for reading; null when there is none. A
   * hold past its expiry reads as expired, as the settlers would treat it.
   */
  static Reservation view(Connection c, String id, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, state, metrics, amounts, window_starts, created_at, expires_at, event_id"
                + " FROM reservations WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String[] metrics = (String[]) rs.getArray(4).getArray();
        Long[] amounts = (Long[]) rs.getArray(5).getArray();
        Long[] windowStarts = (Long[]) rs.getArray(6).getArray();
        List<Reservation.Hold> holds = new ArrayList<>(metrics.length);
        for (int i = 0; i < metrics.length; i++) {
          holds.add(new Reservation.Hold(metrics[i], amounts[i], Instant.ofEpochMilli(windowStarts[i])));
        }
        Instant expiresAt = Store.instant(rs, 8);
        ReservationState state = ReservationState.fromWireName(rs.getString(3));
        if (state == ReservationState.HELD && !expiresAt.isAfter(now)) {
          state = ReservationState.EXPIRED;
        }
        return new Reservation(
            rs.getString(1), rs.getString(2), state, holds, Store.instant(rs, 7), expiresAt, rs.getLong(9));
      }
    }
  }

  /** Open reservations of these subjects that expired by {@code now} (not locked). */
  static List<Row> expiredOf(Connection c, Collection<String> subjects, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, state, metrics, amounts, window_starts, expires_at, event_id FROM reservations"
                + " WHERE subject = ANY(?) AND state = 'held' AND expires_at <= ? ORDER BY id")) {
      ps.setArray(1, Store.texts(c, subjects));
      Store.setInstant(ps, 2, now);
      return read(ps);
    }
  }

  /** Open reservations anywhere that expired by {@code now}, oldest first, at most {@code limit}. */
  static List<Row> expired(Connection c, Instant now, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, subject, state, metrics, amounts, window_starts, expires_at, event_id FROM reservations"
                + " WHERE state = 'held' AND expires_at <= ? ORDER BY expires_at LIMIT ?")) {
      Store.setInstant(ps, 1, now);
      ps.setInt(2, limit);
      return read(ps);
    }
  }

  /** Moves the reservation out of {@code held}; false when someone else did first. */
  static boolean claim(Connection c, String id, ReservationState state) throws SQLException {
    if (state == ReservationState.HELD) {
      throw new IllegalArgumentException("a reservation moves out of held, never into it");
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE reservations SET state = ? WHERE id = ? AND state = 'held'")) {
      ps.setString(1, state.wireName());
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<Row> read(PreparedStatement ps) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new Row(
                rs.getString(1),
                rs.getString(2),
                ReservationState.fromWireName(rs.getString(3)),
                List.of((String[]) rs.getArray(4).getArray()),
                List.of((Long[]) rs.getArray(5).getArray()),
                List.of((Long[]) rs.getArray(6).getArray()),
                Store.instant(rs, 7),
                rs.getLong(8)));
      }
    }
    return rows;
  }
}
