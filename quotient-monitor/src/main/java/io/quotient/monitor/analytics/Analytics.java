package io.quotient.monitor.analytics;

import static io.quotient.monitor.sql.Sql.instant;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.engine.Quotient;
import io.quotient.monitor.projection.Projection;
import io.quotient.monitor.sql.Sql;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.status.MetricStatus;
import io.quotient.status.SubjectStatus;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The analytics: the projection that keeps the rollups, and the answers read from them. Every
 * answer reads rollups and the engine's current usage, never raw events. Thread-safe.
 */
public final class Analytics {
  /** The projection's name (its cursor row). */
  public static final String PROJECTION = "analytics";
  /** Longest window of {@link #subject}, in days. */
  public static final int MAX_DAYS = 90;
  /** Longest window of {@link #denials}, in hours. */
  public static final int MAX_HOURS = 24 * 7;
  /** Largest page or list. */
  public static final int MAX_LIMIT = 1000;
  /** Headroom the recommended plan keeps above each projection. */
  static final BigDecimal HEADROOM = new BigDecimal("1.2");

  private final DataSource dataSource;
  private final Quotient engine;
  private final Clock clock;

  /** The analytics of {@code engine}'s subjects in {@code dataSource}'s database (the monitor's tables migrated). */
  public Analytics(DataSource dataSource, Quotient engine, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The projection that keeps the rollups, from the beginning of the feed (history counts), at the rollup cadence. */
  public Projection projection() {
    return new Projection(PROJECTION, Projection.Start.BEGINNING, Projection.Cadence.ROLLUP, new RollupProjection(engine));
  }

  /** A metric's share of its limit, as stored: null when unlimited, 100 for a 0 limit. */
  static Double percent(long used, Long limit) {
    if (limit == null) {
      return null;
    }
    return limit == 0 ? 100.0 : 100.0 * used / limit;
  }

  /**
   * {@code subject}'s analytics over the {@code days} days ending today (1 to {@link #MAX_DAYS}).
   *
   * @throws io.quotient.NotFoundException when there is no such subject
   */
  public SubjectAnalytics subject(String subject, int days) {
    InvalidArgumentException.require(days >= 1 && days <= MAX_DAYS, "days", "must be between 1 and " + MAX_DAYS + ", was " + days);
    Instant now = clock.instant();
    SubjectStatus status = engine.status(subject);
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    // The trend looks at 14 complete days whatever the window shown.
    LocalDate from = today.minusDays(Math.max(days - 1, 2L * Forecast.AVERAGE_DAYS));
    Map<String, Map<LocalDate, SubjectAnalytics.Day>> rows = new HashMap<>();
    Map<String, LocalDate> firstDays = new HashMap<>();
    run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT metric, day, granted, refunded, denials, from_bonus, overage FROM monitor_daily_usage"
              + " WHERE subject = ? AND day >= ? AND day <= ?")) {
        ps.setString(1, subject);
        ps.setObject(2, from);
        ps.setObject(3, today);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            LocalDate day = rs.getObject(2, LocalDate.class);
            rows.computeIfAbsent(rs.getString(1), m -> new HashMap<>()).put(day, new SubjectAnalytics.Day(
                day, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT m.metric, (SELECT min(d.day) FROM monitor_daily_usage d WHERE d.subject = ? AND d.metric = m.metric)"
              + " FROM unnest(?::text[]) AS m(metric)")) {
        ps.setString(1, subject);
        ps.setArray(2, c.createArrayOf("text", status.metrics().stream().map(MetricStatus::metric).toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            LocalDate first = rs.getObject(2, LocalDate.class);
            if (first != null) {
              firstDays.put(rs.getString(1), first);
            }
          }
        }
      }
      return null;
    });
    List<SubjectAnalytics.Metric> metrics = new ArrayList<>();
    for (MetricStatus m : status.metrics()) {
      metrics.add(Forecast.of(m, rows.getOrDefault(m.metric(), Map.of()), firstDays.get(m.metric()), now, days));
    }
    return new SubjectAnalytics(subject, status.subject().plan(), today.minusDays(days - 1), today, metrics);
  }

  /**
   * The plan to suggest to {@code subject}: the cheapest priced plan (by monthly price, then name)
   * whose limits hold every metric's projection of its current plan with 20% headroom, when the
   * current plan does not; plans are compared within the current plan's currency (any currency
   * when the current plan has no price).
   *
   * @param deploymentUpgradeUrl the link for plans without their own; may be null
   * @throws io.quotient.NotFoundException when there is no such subject
   */
  public Recommendation recommendation(String subject, String deploymentUpgradeUrl) {
    SubjectAnalytics analytics = subject(subject, 30);
    Plan current = engine.plan(analytics.plan()).orElseThrow();
    Map<String, Long> required = new HashMap<>();
    boolean urgent = false;
    boolean enoughData = true;
    for (SubjectAnalytics.Metric m : analytics.metrics()) {
      required.put(m.metric(), new BigDecimal(m.projected()).multiply(HEADROOM).setScale(0, java.math.RoundingMode.CEILING)
          .min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact());
      urgent |= m.daysUntilLimit() != null && m.resetsAt() != null;
      enoughData &= m.enoughData();
    }
    boolean currentFits = holds(current, required);
    Plan chosen = null;
    if (!currentFits) {
      String currency = current.price() == null ? null : current.price().currency().getCurrencyCode();
      chosen = engine.plans().stream()
          .filter(p -> p.price() != null && !p.name().equals(current.name()))
          .filter(p -> currency == null || p.price().currency().getCurrencyCode().equals(currency))
          .filter(p -> holds(p, required))
          .min(Comparator.comparing((Plan p) -> p.price().monthly()).thenComparing(Plan::name))
          .orElse(null);
    }
    List<Recommendation.Reason> reasons = new ArrayList<>();
    for (SubjectAnalytics.Metric m : analytics.metrics()) {
      long need = required.get(m.metric());
      Limit recommendedLimit = chosen == null ? null : chosen.limitOf(m.metric());
      reasons.add(new Recommendation.Reason(m.metric(), m.projected(), need, m.limit(),
          recommendedLimit == null ? null : recommendedLimit.limit(), fits(current.limitOf(m.metric()), need),
          m.daysUntilLimit()));
    }
    Recommendation.Action action = currentFits ? Recommendation.Action.STAY
        : chosen == null ? Recommendation.Action.NONE : Recommendation.Action.UPGRADE;
    String url = chosen == null ? null : chosen.upgradeUrl() != null ? chosen.upgradeUrl() : deploymentUpgradeUrl;
    return new Recommendation(subject, action, current.name(), current.price(),
        chosen == null ? null : chosen.name(), chosen == null ? null : chosen.price(), url, urgent, enoughData, reasons);
  }

  private static boolean holds(Plan plan, Map<String, Long> required) {
    for (Map.Entry<String, Long> e : required.entrySet()) {
      Limit limit = plan.limitOf(e.getKey());
      if (limit == null || !fits(limit, e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean fits(Limit limit, long required) {
    return limit != null && (limit.isUnlimited() || limit.limit() >= required);
  }

  /**
   * Subjects × metrics at or past {@code minPercent} of their limit in their current window,
   * highest share first (then subject, metric).
   */
  public NearLimit.Page nearLimit(double minPercent, int offset, int limit) {
    InvalidArgumentException.require(minPercent >= 0 && minPercent <= 1000, "min", "must be between 0 and 1000");
    InvalidArgumentException.require(offset >= 0 && offset <= 100_000, "offset", "must be between 0 and 100000");
    InvalidArgumentException.require(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT);
    Instant now = clock.instant();
    List<NearLimit> items = new ArrayList<>();
    run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT subject, metric, used, \"limit\", percent, resets_at FROM monitor_usage"
              + " WHERE band >= ? AND percent >= ? AND (resets_at IS NULL OR resets_at > ?)"
              + " ORDER BY band DESC, percent DESC, subject, metric OFFSET ? LIMIT ?")) {
        // The band orders rows as their percent does; it is what the index holds (see V32).
        ps.setInt(1, RollupProjection.band(minPercent));
        ps.setDouble(2, minPercent);
        ps.setTimestamp(3, Timestamp.from(now));
        ps.setInt(4, offset);
        ps.setInt(5, limit + 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(new NearLimit(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                Forecast.round(rs.getDouble(5)), instant(rs, 6)));
          }
        }
      }
      return null;
    });
    boolean more = items.size() > limit;
    return new NearLimit.Page(more ? items.subList(0, limit) : items, more ? offset + limit : null);
  }

  /** Decisions and denials per hour over the last {@code hours} hours (this one included), oldest first. */
  public List<HourlyDenials> denials(int hours) {
    InvalidArgumentException.require(hours >= 1 && hours <= MAX_HOURS, "hours", "must be between 1 and " + MAX_HOURS + ", was " + hours);
    Instant last = clock.instant().truncatedTo(ChronoUnit.HOURS);
    Instant first = last.minus(Duration.ofHours(hours - 1L));
    Map<Instant, long[]> found = new HashMap<>();
    run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT hour, decisions, denials FROM monitor_hourly_decisions WHERE hour >= ? AND hour <= ?")) {
        ps.setTimestamp(1, Timestamp.from(first));
        ps.setTimestamp(2, Timestamp.from(last));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(instant(rs, 1), new long[] {rs.getLong(2), rs.getLong(3)});
          }
        }
      }
      return null;
    });
    List<HourlyDenials> out = new ArrayList<>(hours);
    for (Instant h = first; !h.isAfter(last); h = h.plus(Duration.ofHours(1))) {
      long[] v = found.getOrDefault(h, new long[2]);
      out.add(new HourlyDenials(h, v[0], v[1], v[0] == 0 ? 0 : Forecast.round((double) v[1] / v[0])));
    }
    return out;
  }

  /** How many subjects use how much of {@code metric}'s limit now (see {@link Distribution}). */
  public Distribution distribution(String metric) {
    Names.requireName(metric, "metric");
    Instant now = clock.instant();
    long[] bands = new long[11];
    long[] limited = new long[1];
    run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT band, sum(subjects) FROM monitor_usage_bands WHERE metric = ? AND resets_at > ? GROUP BY band")) {
        ps.setString(1, metric);
        ps.setTimestamp(2, Timestamp.from(now));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            bands[rs.getInt(1)] += rs.getLong(2);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT p.subjects FROM plan_limits l JOIN monitor_plan_subjects p ON p.plan = l.plan"
              + " WHERE l.metric = ? AND l.quota IS NOT NULL")) {
        ps.setString(1, metric);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            limited[0] += rs.getLong(1);
          }
        }
      }
      return null;
    });
    long counted = 0;
    for (long b : bands) {
      counted += b;
    }
    // Subjects on a limiting plan with no use in their current window are at 0%.
    bands[0] += Math.max(0, limited[0] - counted);
    List<Distribution.Band> out = new ArrayList<>(11);
    long total = 0;
    for (int i = 0; i < 11; i++) {
      out.add(new Distribution.Band(i * 10, i == 10 ? null : (i + 1) * 10, bands[i]));
      total += bands[i];
    }
    return new Distribution(metric, out, total);
  }

  /** The {@code limit} subjects using the most of {@code metric} in their current window, most first. */
  public List<TopConsumer> top(String metric, int limit) {
    Names.requireName(metric, "metric");
    InvalidArgumentException.require(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT);
    Instant now = clock.instant();
    List<TopConsumer> out = new ArrayList<>();
    run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT subject, used, \"limit\", percent, resets_at FROM monitor_usage"
              + " WHERE metric = ? AND (resets_at IS NULL OR resets_at > ?) ORDER BY magnitude DESC, used DESC, subject LIMIT ?")) {
        ps.setString(1, metric);
        ps.setTimestamp(2, Timestamp.from(now));
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long l = rs.getLong(3);
            Long lim = rs.wasNull() ? null : l;
            double p = rs.getDouble(4);
            Double percent = rs.wasNull() ? null : Forecast.round(p);
            out.add(new TopConsumer(rs.getString(1), metric, rs.getLong(2), lim, percent, instant(rs, 5)));
          }
        }
      }
      return null;
    });
    return out;
  }


  private <T> T run(Sql.Work<T> work) {
    return Sql.autocommit(dataSource, "analytics", work);
  }
}
