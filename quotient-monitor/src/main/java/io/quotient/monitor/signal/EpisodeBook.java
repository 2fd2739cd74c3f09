package io.quotient.monitor.signal;

import io.quotient.event.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the hits of the rules into episodes within one transaction: the first hit of an episode
 * opens it and appends its one {@code abuse.detected} / {@code spike.detected}; later hits within
 * the quiet period of the last extend it silently; a hit after a longer quiet opens the next.
 *
 * <p>Each signal × target is locked for the transaction ({@code pg_advisory_xact_lock}), because two
 * writers can hit one: the signals projection (races from the feed) and the server's observations
 * (idempotency conflicts). The lock is taken at the first hit and the latest episode read under it.
 * Not thread-safe: one per transaction.
 */
final class EpisodeBook {
  /** Appends an event in the book's transaction, returning its id. */
  @FunctionalInterface
  interface Appender {
    long append(NewEvent event) throws SQLException;
  }

  private final Connection c;
  private final Duration quiet;
  private final Appender appender;
  private final Map<String, Open> latest = new HashMap<>();
  private int opened;

  EpisodeBook(Connection c, Duration quiet, Appender appender) {
    this.c = c;
    this.quiet = quiet;
    this.appender = appender;
  }

  /** The latest episode of a signal × target, as known in this transaction. */
  private static final class Open {
    final long id;
    Instant lastAt;
    long hits;
    Map<String, String> evidence;
    boolean dirty;

    Open(long id, Instant lastAt, long hits) {
      this.id = id;
      this.lastAt = lastAt;
      this.hits = hits;
    }
  }

  /** The rule of {@code signal} held for {@code target} at {@code at}, with this evidence. */
  void hit(Signal signal, String target, String subject, Instant at, Map<String, String> evidence) throws SQLException {
    String key = signal.wireName() + ':' + target;
    Open open;
    if (latest.containsKey(key)) {
      open = latest.get(key);
    } else {
      open = load(signal, target, key);
      latest.put(key, open);
    }
    if (open != null && !at.isAfter(open.lastAt.plus(quiet))) {
      if (at.isAfter(open.lastAt)) {
        open.lastAt = at;
      }
      open.hits++;
      open.evidence = evidence;
      open.dirty = true;
      return;
    }
    latest.put(key, begin(signal, target, subject, at, evidence));
  }

  /** How many episodes this book opened. */
  int opened() {
    return opened;
  }

  /** Writes the extended episodes. Call before the transaction commits. */
  void flush() throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE monitor_signal_episodes SET last_at = ?, hits = ?, evidence_keys = ?, evidence_values = ? WHERE id = ?")) {
      boolean any = false;
      for (Open open : latest.values()) {
        if (open != null && open.dirty) {
          ps.setObject(1, OffsetDateTime.ofInstant(open.lastAt, ZoneOffset.UTC));
          ps.setLong(2, open.hits);
          ps.setArray(3, c.createArrayOf("text", open.evidence.keySet().toArray(new String[0])));
          ps.setArray(4, c.createArrayOf("text", open.evidence.values().toArray(new String[0])));
          ps.setLong(5, open.id);
          ps.addBatch();
          open.dirty = false;
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  private Open load(Signal signal, String target, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      ps.setString(1, "quotient.signal:" + key);
      ps.execute();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, last_at, hits FROM monitor_signal_episodes WHERE signal = ? AND target = ? ORDER BY id DESC LIMIT 1")) {
      ps.setString(1, signal.wireName());
      ps.setString(2, target);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Open(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getLong(3));
      }
    }
  }

  private Open begin(Signal signal, String target, String subject, Instant at, Map<String, String> evidence) throws SQLException {
    long id;
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval('monitor_signal_episodes_id_seq')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("signal", signal.wireName());
    detail.put("episode", Long.toString(id));
    if (!target.equals(subject)) {
      detail.put("target", target);
    }
    detail.putAll(evidence);
    long eventId = appender.append(new NewEvent(signal.eventType(), at, subject, detail));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO monitor_signal_episodes (id, signal, target, subject, started_at, last_at, hits, evidence_keys,"
                + " evidence_values, event_id) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, signal.wireName());
      ps.setString(3, target);
      ps.setString(4, subject);
      ps.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      ps.setObject(6, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      ps.setArray(7, c.createArrayOf("text", evidence.keySet().toArray(new String[0])));
      ps.setArray(8, c.createArrayOf("text", evidence.values().toArray(new String[0])));
      ps.setLong(9, eventId);
      ps.executeUpdate();
    }
    opened++;
    return new Open(id, at, 1);
  }
}
