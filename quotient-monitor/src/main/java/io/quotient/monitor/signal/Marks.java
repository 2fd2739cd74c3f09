package io.quotient.monitor.signal;

import io.quotient.monitor.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent times of one kind of mark per target ({@code monitor_signal_marks}): a sliding window
 * kept as a short list, at most as long as the rule's threshold (older marks cannot change whether
 * the threshold is reached).
 */
final class Marks {
  private Marks() {}

  /** The marks of {@code kind} for {@code targets}; a target without a row has an empty list. */
  static Map<String, List<Long>> load(Connection c, String kind, Collection<String> targets) throws SQLException {
    Map<String, List<Long>> out = new HashMap<>();
    for (String target : targets) {
      out.put(target, new ArrayList<>());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT target, times FROM monitor_signal_marks WHERE kind = ? AND target = ANY(?)")) {
      ps.setString(1, kind);
      ps.setArray(2, c.createArrayOf("text", targets.toArray(new String[0])));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), times(rs.getArray(2)));
        }
      }
    }
    return out;
  }

  /** The marks of {@code kind} for {@code target}, its row locked until the transaction ends (created if absent). */
  static List<Long> lock(Connection c, String target, String kind) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO monitor_signal_marks (target, kind, times) VALUES (?, ?, '{}') ON CONFLICT DO NOTHING")) {
      ps.setString(1, target);
      ps.setString(2, kind);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT times FROM monitor_signal_marks WHERE target = ? AND kind = ? FOR UPDATE")) {
      ps.setString(1, target);
      ps.setString(2, kind);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return times(rs.getArray(1));
      }
    }
  }

  /** Writes the marks of {@code kind} for each target. */
  static void save(Connection c, String kind, Map<String, List<Long>> marks) throws SQLException {
    if (marks.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO monitor_signal_marks (target, kind, times) VALUES (?, ?, ?)"
                + " ON CONFLICT (target, kind) DO UPDATE SET times = excluded.times")) {
      for (Map.Entry<String, List<Long>> entry : marks.entrySet()) {
        ps.setString(1, entry.getKey());
        ps.setString(2, kind);
        ps.setArray(3, c.createArrayOf("int8", entry.getValue().toArray(new Long[0])));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Those of {@code marks} that can still count for a mark at or after {@code newest}: the lists
   * whose latest mark is within {@code window} before it. The others would be dropped whole by the
   * next mark added in feed order, so writing them is wasted: with a race window of 10 ms and a
   * step of a second, only the subjects that decided in the step's last 10 ms are written, not
   * every subject that decided in it. (A row left unwritten keeps older marks, which a later mark
   * drops just the same; only a decision older than the step's newest by more than the window,
   * coming later in the feed, could have counted the marks not written.)
   */
  static Map<String, List<Long>> young(Map<String, List<Long>> marks, Instant newest, Duration window) {
    long horizon = Sql.micros(newest) - window.toNanos() / 1000;
    Map<String, List<Long>> young = new HashMap<>();
    marks.forEach((target, times) -> {
      if (!times.isEmpty() && times.get(times.size() - 1) > horizon) {
        young.put(target, times);
      }
    });
    return young;
  }

  /**
   * Adds a mark at {@code at} and keeps only those within {@code window} before it (strictly:
   * a mark exactly a window old has left it), at most {@code cap} of them. Returns how many remain,
   * the new one included.
   */
  static int add(List<Long> times, Instant at, Duration window, int cap) {
    long now = Sql.micros(at);
    long horizon = now - window.toNanos() / 1000;
    int insert = times.size();
    while (insert > 0 && times.get(insert - 1) > now) {
      insert--; // a late mark (another instance's clock) goes in order
    }
    times.add(insert, now);
    times.removeIf(t -> t <= horizon);
    while (times.size() > cap) {
      times.remove(0);
    }
    return times.size();
  }

  private static List<Long> times(Array array) throws SQLException {
    List<Long> out = new ArrayList<>();
    for (Long t : (Long[]) array.getArray()) {
      out.add(t);
    }
    return out;
  }
}
