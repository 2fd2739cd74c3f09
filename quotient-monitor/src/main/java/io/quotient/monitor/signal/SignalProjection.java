package io.quotient.monitor.signal;

import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.event.EventType;
import io.quotient.monitor.projection.Batch;
import io.quotient.monitor.projection.Handler;
import io.quotient.monitor.projection.Remembered;
import io.quotient.monitor.sql.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signals decided from the feed, one batch at a time in the batch's transaction: denial bursts,
 * races (many decisions at once), and usage spikes over the hourly rollups it keeps.
 *
 * <p>Every rule is timed by the events' own instants (the engine's clock when it decided), never by
 * when the batch is handled, so a projection that falls behind decides exactly as a live one.
 */
final class SignalProjection implements Handler {
  /** Hourly rollups older than this are dropped: the baseline needs seven days and the last hour. */
  private static final Duration KEEP_HOURS = Duration.ofDays(8);
  private static final BigDecimal HOUR_MICROS = BigDecimal.valueOf(3_600_000_000L);

  /** The hour of the feed the rollups were last pruned for (per instance: an economy, not a rule). */
  private volatile Instant prunedAt;

  /**
   * Subjects' recent-request marks as this handler left them (only it writes them). A list no
   * longer young is not written ({@link Marks#young}), so what is kept here may be newer than its
   * row: the row's older marks count for no later decision either.
   */
  private final Remembered<String, List<Long>> requestMarks = new Remembered<>(100_000);
  /** Subjects' first sightings (written once, never changed). */
  private final Remembered<String, Instant> firstSightings = new Remembered<>(100_000);

  @Override
  public void handle(Batch batch) throws SQLException {
    requestMarks.begin(batch);
    firstSightings.begin(batch);
    Map<String, List<Event>> decisions = new LinkedHashMap<>();
    for (Event event : batch.events()) {
      if ((event.type() == EventType.CONSUME || event.type() == EventType.RESERVE) && event.subject() != null
          && event.allowed() != null) {
        decisions.computeIfAbsent(event.subject(), s -> new ArrayList<>()).add(event);
      }
    }
    if (decisions.isEmpty()) {
      requestMarks.end(batch); // nothing written: what is remembered still holds
      firstSightings.end(batch);
      return;
    }
    Connection c = batch.connection();
    SignalRules rules = Signals.rules(c);
    EpisodeBook book = new EpisodeBook(c, rules.episodeQuiet(), batch::append);
    Map<String, List<Long>> requests = requestMarks(c, decisions.keySet());
    // Denial marks are read only for the subjects denied in this batch: the rest do not use them.
    Set<String> denied = new HashSet<>();
    decisions.forEach((subject, events) -> {
      if (events.stream().anyMatch(e -> Boolean.FALSE.equals(e.allowed()))) {
        denied.add(subject);
      }
    });
    Map<String, List<Long>> denials = denied.isEmpty() ? Map.of() : Marks.load(c, "denial", denied);
    Map<String, List<Long>> denialsChanged = new HashMap<>();
    Map<String, Map<Instant, Long>> units = new LinkedHashMap<>();
    Map<String, Instant> lastUse = new LinkedHashMap<>();
    for (Map.Entry<String, List<Event>> entry : decisions.entrySet()) {
      String subject = entry.getKey();
      List<Long> recent = requests.get(subject);
      List<Long> deniedAt = denials.get(subject);
      Map<Long, Integer> perTransaction = new HashMap<>();
      for (Event event : entry.getValue()) {
        int within = Marks.add(recent, event.at(), rules.raceWindow(), rules.raceRequests());
        int together = perTransaction.merge(event.cursor().tx(), 1, Integer::sum);
        if (within >= rules.raceRequests() || together >= rules.raceRequests()) {
          Map<String, String> evidence = new LinkedHashMap<>();
          if (together >= rules.raceRequests()) {
            evidence.put("requests", Integer.toString(together));
            evidence.put("within", "one batch");
          } else {
            evidence.put("requests", Integer.toString(within));
            evidence.put("within", rules.raceWindow().toMillis() + " ms");
          }
          evidence.put("threshold", Integer.toString(rules.raceRequests()));
          book.hit(Signal.RACE, subject, subject, event.at(), evidence);
        }
        if (Boolean.FALSE.equals(event.allowed())) {
          int count = Marks.add(deniedAt, event.at(), rules.denialWindow(), rules.denialCount());
          denialsChanged.put(subject, deniedAt);
          if (count >= rules.denialCount()) {
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("denials", Integer.toString(count));
            evidence.put("windowSeconds", Long.toString(rules.denialWindow().toSeconds()));
            evidence.put("lastReason", String.valueOf(event.reason()));
            book.hit(Signal.DENIAL_BURST, subject, subject, event.at(), evidence);
          }
        } else {
          long amount = 0;
          for (EventItem item : event.items()) {
            amount = Math.addExact(amount, item.amount());
          }
          units.computeIfAbsent(subject, s -> new LinkedHashMap<>())
              .merge(event.at().truncatedTo(ChronoUnit.HOURS), amount, Math::addExact);
          lastUse.merge(subject, event.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    Marks.save(c, "request", Marks.young(requests, newest(decisions), rules.raceWindow()));
    Marks.save(c, "denial", denialsChanged);
    if (!units.isEmpty()) {
      rollUp(c, units, lastUse);
      Map<String, Instant> seen = firstSeen(c, units);
      Map<String, long[]> recent = recentHours(c, lastUse);
      for (Map.Entry<String, Instant> use : lastUse.entrySet()) {
        spike(c, book, rules, use.getKey(), use.getValue(), seen.get(use.getKey()), recent.get(use.getKey()));
      }
    }
    book.flush();
    requestMarks.end(batch);
    firstSightings.end(batch);
  }

  /** The latest instant of the batch's decisions. */
  private static Instant newest(Map<String, List<Event>> decisions) {
    Instant newest = Instant.MIN;
    for (List<Event> events : decisions.values()) {
      for (Event event : events) {
        if (event.at().isAfter(newest)) {
          newest = event.at();
        }
      }
    }
    return newest;
  }

  /**
   * The recent-request marks of {@code subjects}, those not remembered read from the database. The
   * lists are the remembered ones: the batch changes them in place and saves them.
   */
  private Map<String, List<Long>> requestMarks(Connection c, Collection<String> subjects) throws SQLException {
    Map<String, List<Long>> marks = new HashMap<>();
    List<String> missing = requestMarks.recall(subjects, marks);
    if (!missing.isEmpty()) {
      Marks.load(c, "request", missing).forEach((subject, loaded) -> {
        marks.put(subject, loaded);
        requestMarks.put(subject, loaded);
      });
    }
    return marks;
  }

  private void rollUp(Connection c, Map<String, Map<Instant, Long>> units, Map<String, Instant> lastUse) throws SQLException {
    // One statement over arrays, not one per row (as the analytics rollups).
    int n = 0;
    for (Map<Instant, Long> hours : units.values()) {
      n += hours.size();
    }
    String[] subjects = new String[n];
    long[] hourMicros = new long[n];
    long[] amounts = new long[n];
    int i = 0;
    for (Map.Entry<String, Map<Instant, Long>> subject : units.entrySet()) {
      for (Map.Entry<Instant, Long> hour : subject.getValue().entrySet()) {
        subjects[i] = subject.getKey();
        hourMicros[i] = Sql.micros(hour.getKey());
        amounts[i] = hour.getValue();
        i++;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO monitor_usage_hourly (subject, hour, units) SELECT s, " + Sql.FROM_MICROS.formatted("h") + ", u"
                + " FROM unnest(?::text[], ?::int8[], ?::int8[]) AS x(s, h, u)"
                + " ON CONFLICT (subject, hour) DO UPDATE SET units = monitor_usage_hourly.units + excluded.units")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setObject(2, hourMicros);
      ps.setObject(3, amounts);
      ps.executeUpdate();
    }
    Instant latest = lastUse.values().stream().max(Instant::compareTo).orElseThrow().truncatedTo(ChronoUnit.HOURS);
    if (!latest.equals(prunedAt)) {
      // Once an hour of the feed (per instance), not per subject and batch: the rows are a week's.
      try (PreparedStatement prune = c.prepareStatement("DELETE FROM monitor_usage_hourly WHERE hour < ?")) {
        prune.setObject(1, OffsetDateTime.ofInstant(latest.minus(KEEP_HOURS), ZoneOffset.UTC));
        prune.executeUpdate();
      }
      prunedAt = latest;
    }
  }

  /** Each subject's units in the hour of its last use and the hour before: {current, previous}. */
  private static Map<String, long[]> recentHours(Connection c, Map<String, Instant> lastUse) throws SQLException {
    Map<String, long[]> out = new HashMap<>();
    Instant earliest = lastUse.values().stream().min(Instant::compareTo).orElseThrow().truncatedTo(ChronoUnit.HOURS);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT subject, hour, units FROM monitor_usage_hourly WHERE subject = ANY(?) AND hour >= ?")) {
      ps.setArray(1, c.createArrayOf("text", lastUse.keySet().toArray(new String[0])));
      ps.setObject(2, OffsetDateTime.ofInstant(earliest.minus(Duration.ofHours(1)), ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String subject = rs.getString(1);
          Instant hour = lastUse.get(subject).truncatedTo(ChronoUnit.HOURS);
          Instant h = rs.getObject(2, OffsetDateTime.class).toInstant();
          long[] pair = out.computeIfAbsent(subject, k -> new long[2]);
          if (h.equals(hour)) {
            pair[0] = rs.getLong(3);
          } else if (h.equals(hour.minus(Duration.ofHours(1)))) {
            pair[1] = rs.getLong(3);
          }
        }
      }
    }
    return out;
  }

  /**
   * When each subject was first seen; those never seen before are recorded as first seen now. Read
   * only for the subjects this handler does not already know (a first sighting never changes).
   */
  private Map<String, Instant> firstSeen(Connection c, Map<String, Map<Instant, Long>> units) throws SQLException {
    Map<String, Instant> seen = new HashMap<>();
    List<String> unknown = firstSightings.recall(units.keySet(), seen);
    if (unknown.isEmpty()) {
      return seen;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT subject, first_seen FROM monitor_signal_subjects WHERE subject = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("text", unknown.toArray(new String[0])));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitor_signal_subjects (subject, first_seen) VALUES (?, ?)")) {
      boolean any = false;
      for (String subject : unknown) {
        if (!seen.containsKey(subject)) {
          Instant first = units.get(subject).keySet().stream().min(Instant::compareTo).orElseThrow();
          seen.put(subject, first);
          ps.setString(1, subject);
          ps.setObject(2, OffsetDateTime.ofInstant(first, ZoneOffset.UTC));
          ps.addBatch();
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
    for (String subject : unknown) {
      firstSightings.put(subject, seen.get(subject));
    }
    return seen;
  }

  /**
   * The usage-spike rule at {@code at}, the subject's last use in the batch. The last hour is the
   * current UTC hour's units plus the previous hour's in proportion to the part of it still within
   * sixty minutes (the rollups are hourly); the baseline is the mean units per hour over the seven
   * days before the previous hour, or since the subject was first seen if that is later, counting
   * idle hours as zero. No baseline shorter than {@code spikeMinHistory}: a new subject never spikes.
   */
  private static void spike(
      Connection c, EpisodeBook book, SignalRules rules, String subject, Instant at, Instant firstSeen, long[] recent)
      throws SQLException {
    Instant hour = at.truncatedTo(ChronoUnit.HOURS);
    Instant previous = hour.minus(Duration.ofHours(1));
    Instant from = previous.minus(Duration.ofDays(7));
    if (firstSeen.isAfter(from)) {
      from = firstSeen.truncatedTo(ChronoUnit.HOURS);
    }
    long historyHours = Duration.between(from, previous).toHours();
    if (historyHours < rules.spikeMinHistory().toHours()) {
      return;
    }
    long current = recent == null ? 0 : recent[0];
    long last = recent == null ? 0 : recent[1];
    if (Math.addExact(current, last) < rules.spikeMinUnits()) {
      return; // the last hour is at most current + last: below the floor, no baseline needed
    }
    long baselineUnits = 0;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT coalesce(sum(units), 0) FROM monitor_usage_hourly WHERE subject = ? AND hour >= ? AND hour < ?")) {
      ps.setString(1, subject);
      ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(3, OffsetDateTime.ofInstant(previous, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        baselineUnits = rs.getLong(1);
      }
    }
    long into = Sql.micros(at) - Sql.micros(hour);
    BigDecimal lastHour =
        BigDecimal.valueOf(current)
            .add(BigDecimal.valueOf(last).multiply(HOUR_MICROS.subtract(BigDecimal.valueOf(into))).divide(HOUR_MICROS, 2, RoundingMode.DOWN));
    BigDecimal baseline = BigDecimal.valueOf(baselineUnits).divide(BigDecimal.valueOf(historyHours), 2, RoundingMode.HALF_UP);
    if (lastHour.compareTo(BigDecimal.valueOf(rules.spikeMinUnits())) < 0
        || lastHour.compareTo(rules.spikeFactor().multiply(baseline)) < 0) {
      return;
    }
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("lastHourUnits", lastHour.stripTrailingZeros().toPlainString());
    evidence.put("baselinePerHour", baseline.stripTrailingZeros().toPlainString());
    evidence.put("factor", rules.spikeFactor().stripTrailingZeros().toPlainString());
    evidence.put("historyHours", Long.toString(historyHours));
    book.hit(Signal.USAGE_SPIKE, subject, subject, at, evidence);
  }
}
