package io.quotient.monitor.signal;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.StorageException;
import io.quotient.engine.Quotient;
import io.quotient.monitor.projection.Projection;
import io.quotient.monitor.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The abuse and anomaly signals: their rules, what the server observes (idempotency conflicts,
 * failed authentications), and the risk scores read from their episodes. The feed's signals are
 * decided by the {@linkplain #projection projection}. Thread-safe.
 *
 * <p>Where the signals come from: denial bursts, races of decisions and usage spikes from the feed;
 * idempotency conflicts (409/422) and 401/403 answers never reach the feed (nothing was decided),
 * so the server reports each one here ({@link #conflict}, {@link #credentialFailure}), which
 * decides it at once in a transaction of its own, locked per target, appending the episode's event
 * to the feed in that transaction.
 */
public final class Signals {
  /** The projection's name (its cursor row). */
  public static final String PROJECTION = "signals";
  /** How long after its last hit a signal's share of the risk score takes to fall to 0 (linearly). */
  public static final Duration RISK_DECAY = Duration.ofHours(24);

  private final Quotient engine;
  private final DataSource dataSource;
  private final Clock clock;

  /** The signals over {@code engine}'s database (the monitor's tables migrated by {@code Monitor}). */
  public Signals(Quotient engine, DataSource dataSource, Clock clock) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The projection that decides the feed's signals (from the events committed after it first started), at the rollup cadence. */
  public Projection projection() {
    return new Projection(PROJECTION, Projection.Start.NOW, Projection.Cadence.ROLLUP, new SignalProjection());
  }

  /** The rules in force: the operator's, else {@link SignalRules#DEFAULTS}. */
  public SignalRules rules() {
    return run(Signals::rules);
  }

  /** Replaces the rules (every instance uses them from its next batch). */
  public SignalRules putRules(SignalRules rules) {
    Objects.requireNonNull(rules, "rules");
    Instant now = clock.instant();
    return run(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO monitor_signal_rules (id, denial_count, denial_window_ms, race_requests, race_window_ms, conflict_count,"
                  + " conflict_window_ms, spike_factor, spike_min_units, spike_min_history_hours, credential_failures,"
                  + " credential_window_ms, episode_quiet_ms, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (id) DO UPDATE SET denial_count = excluded.denial_count, denial_window_ms = excluded.denial_window_ms,"
                  + " race_requests = excluded.race_requests, race_window_ms = excluded.race_window_ms,"
                  + " conflict_count = excluded.conflict_count, conflict_window_ms = excluded.conflict_window_ms,"
                  + " spike_factor = excluded.spike_factor, spike_min_units = excluded.spike_min_units,"
                  + " spike_min_history_hours = excluded.spike_min_history_hours,"
                  + " credential_failures = excluded.credential_failures, credential_window_ms = excluded.credential_window_ms,"
                  + " episode_quiet_ms = excluded.episode_quiet_ms, updated_at = excluded.updated_at")) {
        ps.setInt(1, rules.denialCount());
        ps.setLong(2, rules.denialWindow().toMillis());
        ps.setInt(3, rules.raceRequests());
        ps.setLong(4, rules.raceWindow().toMillis());
        ps.setInt(5, rules.conflictCount());
        ps.setLong(6, rules.conflictWindow().toMillis());
        ps.setBigDecimal(7, rules.spikeFactor());
        ps.setLong(8, rules.spikeMinUnits());
        ps.setInt(9, (int) rules.spikeMinHistory().toHours());
        ps.setInt(10, rules.credentialFailures());
        ps.setLong(11, rules.credentialWindow().toMillis());
        ps.setLong(12, rules.episodeQuiet().toMillis());
        ps.setObject(13, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        ps.executeUpdate();
      }
      return rules;
    });
  }

  /**
   * The server refused a request of {@code subject} for its idempotency key: {@code status} 409
   * (the first is still being decided) or 422 (used with other parameters). Part of the race rule.
   */
  public void conflict(String subject, int status) {
    conflict(subject, status, clock.instant());
  }

  /** {@link #conflict(String, int)} as seen at {@code at} (a report decided later than it was seen). */
  public void conflict(String subject, int status, Instant at) {
    Names.requireId(subject, "subject");
    InvalidArgumentException.require(status == 409 || status == 422, "status", "must be 409 or 422");
    observe(subject, subject, "conflict", Signal.RACE, status, null, Objects.requireNonNull(at, "at"));
  }

  /**
   * The server answered 401 or 403 ({@code status}) to a request from {@code address} (the client's
   * address), with the key {@code keyId} (null when the credential named no known key), for
   * {@code subject} (null unless a subject token was used). Counts once for the key and once for
   * the address.
   */
  public void credentialFailure(String keyId, String address, String subject, int status) {
    credentialFailure(keyId, address, subject, status, clock.instant());
  }

  /** {@link #credentialFailure(String, String, String, int)} as seen at {@code at}. */
  public void credentialFailure(String keyId, String address, String subject, int status, Instant at) {
    InvalidArgumentException.require(status == 401 || status == 403, "status", "must be 401 or 403");
    Objects.requireNonNull(at, "at");
    if (keyId != null) {
      observe("key:" + keyId, subject, "auth_failure", Signal.CREDENTIAL_ABUSE, status, keyId, at);
    }
    if (address != null && !address.isEmpty()) {
      observe("address:" + address, subject, "auth_failure", Signal.CREDENTIAL_ABUSE, status, null, at);
    }
  }

  private void observe(String target, String subject, String kind, Signal signal, int status, String keyId, Instant now) {
    boolean opened;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        SignalRules rules = rules(c);
        int threshold = signal == Signal.RACE ? rules.conflictCount() : rules.credentialFailures();
        Duration window = signal == Signal.RACE ? rules.conflictWindow() : rules.credentialWindow();
        List<Long> times = Marks.lock(c, target, kind);
        int count = Marks.add(times, now, window, threshold);
        Marks.save(c, kind, Map.of(target, times));
        EpisodeBook book = new EpisodeBook(c, rules.episodeQuiet(), event -> engine.append(c, event));
        if (count >= threshold) {
          Map<String, String> evidence = new LinkedHashMap<>();
          evidence.put(signal == Signal.RACE ? "conflicts" : "failures", Integer.toString(count));
          evidence.put("windowSeconds", Long.toString(window.toSeconds()));
          evidence.put("lastStatus", Integer.toString(status));
          if (target.startsWith("address:")) {
            evidence.put("address", target.substring("address:".length()));
          } else if (keyId != null) {
            evidence.put("key", keyId);
          }
          book.hit(signal, target, subject, now, evidence);
        }
        book.flush();
        c.commit();
        opened = book.opened() > 0;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("signals: " + e.getMessage(), e);
    }
    if (opened) {
      engine.feedChanged();
    }
  }

  /** The risk of {@code subject} now: score 0 and band none when it has no recent signal. */
  public Risk risk(String subject) {
    Names.requireId(subject, "subject");
    Instant now = clock.instant();
    List<Episode> episodes = run(c -> latest(c, subject, now));
    return score(subject, episodes, now);
  }

  /** The subjects whose risk now is at least {@code min} (0–100), riskiest first, at most {@code limit}. */
  public List<Risk> riskiest(int min, int limit) {
    InvalidArgumentException.require(min >= 0 && min <= 100, "min", "must be between 0 and 100");
    InvalidArgumentException.require(limit >= 1 && limit <= 1000, "limit", "must be between 1 and 1000");
    Instant now = clock.instant();
    List<Episode> episodes = run(c -> latest(c, null, now));
    Map<String, List<Episode>> bySubject = new LinkedHashMap<>();
    for (Episode episode : episodes) {
      bySubject.computeIfAbsent(episode.subject(), s -> new ArrayList<>()).add(episode);
    }
    List<Risk> out = new ArrayList<>();
    bySubject.forEach((subject, list) -> {
      Risk risk = score(subject, list, now);
      if (risk.score() >= Math.max(min, 1)) {
        out.add(risk);
      }
    });
    out.sort(Comparator.comparingInt(Risk::score).reversed().thenComparing(Risk::subject));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  private static Risk score(String subject, List<Episode> episodes, Instant now) {
    List<Risk.Part> parts = new ArrayList<>();
    int total = 0;
    long decay = RISK_DECAY.toMillis();
    for (Episode episode : episodes) {
      long age = Math.max(0, Duration.between(episode.lastAt(), now).toMillis());
      if (age >= decay) {
        continue;
      }
      // Rounded up: a signal still within its decay counts for at least 1.
      int share = (int) ((episode.signal().weight() * (decay - age) + decay - 1) / decay);
      parts.add(new Risk.Part(share, episode));
      total += share;
    }
    parts.sort(Comparator.comparingInt(Risk.Part::score).reversed().thenComparing(p -> p.episode().signal()));
    int score = Math.min(100, total);
    return new Risk(subject, score, Risk.Band.of(score), parts);
  }

  /** The latest episode of each signal whose last hit is within the decay, for one subject or all. */
  private static List<Episode> latest(Connection c, String subject, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT ON (subject, signal) id, signal, target, subject, started_at, last_at, hits, evidence_keys,"
                + " evidence_values, event_id FROM monitor_signal_episodes WHERE last_at > ? AND "
                + (subject == null ? "subject IS NOT NULL" : "subject = ?")
                + " ORDER BY subject, signal, last_at DESC, id DESC")) {
      ps.setObject(1, OffsetDateTime.ofInstant(now.minus(RISK_DECAY), ZoneOffset.UTC));
      if (subject != null) {
        ps.setString(2, subject);
      }
      List<Episode> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String[] keys = strings(rs.getArray(8));
          String[] values = strings(rs.getArray(9));
          Map<String, String> evidence = new LinkedHashMap<>();
          for (int i = 0; i < keys.length; i++) {
            evidence.put(keys[i], values[i]);
          }
          out.add(
              new Episode(
                  rs.getLong(1), Signal.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                  rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant(),
                  rs.getLong(7), evidence, rs.getLong(10)));
        }
      }
      return out;
    }
  }

  private static String[] strings(Array array) throws SQLException {
    return (String[]) array.getArray();
  }

  /** The rules in force, read on {@code c}. */
  static SignalRules rules(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT denial_count, denial_window_ms, race_requests, race_window_ms, conflict_count, conflict_window_ms,"
                    + " spike_factor, spike_min_units, spike_min_history_hours, credential_failures, credential_window_ms,"
                    + " episode_quiet_ms FROM monitor_signal_rules WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return SignalRules.DEFAULTS;
      }
      return new SignalRules(
          rs.getInt(1), Duration.ofMillis(rs.getLong(2)), rs.getInt(3), Duration.ofMillis(rs.getLong(4)), rs.getInt(5),
          Duration.ofMillis(rs.getLong(6)), rs.getBigDecimal(7), rs.getLong(8), Duration.ofHours(rs.getInt(9)), rs.getInt(10),
          Duration.ofMillis(rs.getLong(11)), Duration.ofMillis(rs.getLong(12)));
    }
  }

  private <T> T run(Sql.Work<T> work) {
    return Sql.autocommit(dataSource, "signals", work);
  }
}
