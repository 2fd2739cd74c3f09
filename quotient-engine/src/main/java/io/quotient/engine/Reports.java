package io.quotient.engine;

import io.quotient.plan.Limit;
import io.quotient.plan.OveragePrice;
import io.quotient.plan.Plan;
import io.quotient.report.CurrencyTotal;
import io.quotient.report.OverageLine;
import io.quotient.report.OverageReport;
import io.quotient.report.UsageRow;
import io.quotient.window.Window;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Month-end reads over the counters. A window belongs to the calendar month (UTC) its start falls
 * in, so every window is reported in exactly one month; {@code total} windows never end and belong
 * to none. Prices and limits are the subjects' plans' as they are now (plans keep no history).
 */
final class Reports {
  /** Rows the export fetches from the database at a time. */
  static final int FETCH_SIZE = 1000;

  private Reports() {}

  static OverageReport overage(Connection c, Map<String, Plan> plans, YearMonth period, Instant now) throws SQLException {
    record Key(String subject, String metric) {}
    record Acc(String plan, long units, boolean isFinal) {}
    Map<Key, Acc> byLine = new TreeMap<>((a, b) -> {
      int bySubject = a.subject().compareTo(b.subject());
      return bySubject != 0 ? bySubject : a.metric().compareTo(b.metric());
    });
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT c.subject, c.metric, c.window_start, c.overage, s.plan, s.billing_anchor FROM counters c"
            + " JOIN subjects s ON s.id = c.subject WHERE c.window_start >= ? AND c.window_start < ? AND c.overage > 0")) {
      ps.setLong(1, start(period));
      ps.setLong(2, start(period.plusMonths(1)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Plan plan = plans.get(rs.getString(5));
          Limit limit = plan == null ? null : plan.limitOf(rs.getString(2));
          Instant windowStart = Instant.ofEpochMilli(rs.getLong(3));
          Instant end = windowEnd(limit, Store.instant(rs, 6), windowStart);
          boolean ended = end != null && !end.isAfter(now);
          Key key = new Key(rs.getString(1), rs.getString(2));
          Acc before = byLine.get(key);
          long units = rs.getLong(4);
          byLine.put(key, before == null
              ? new Acc(rs.getString(5), units, ended)
              : new Acc(before.plan(), Math.addExact(before.units(), units), before.isFinal() && ended));
        }
      }
    }
    List<OverageLine> lines = new ArrayList<>();
    Map<Currency, BigDecimal[]> sums = new TreeMap<>((a, b) -> a.getCurrencyCode().compareTo(b.getCurrencyCode()));
    byLine.forEach((key, acc) -> {
      Plan plan = plans.get(acc.plan());
      Limit limit = plan == null ? null : plan.limitOf(key.metric());
      OveragePrice price = limit == null ? null : limit.overagePrice();
      BigDecimal amount = price == null ? null : amountOf(price, acc.units());
      lines.add(new OverageLine(key.subject(), acc.plan(), key.metric(), acc.units(),
          price == null ? null : price.amount(), price == null ? null : price.currency(), amount, acc.isFinal()));
      if (amount != null) {
        BigDecimal zero = BigDecimal.ZERO.setScale(amount.scale());
        BigDecimal[] sum = sums.computeIfAbsent(price.currency(), k -> new BigDecimal[] {zero, zero});
        sum[acc.isFinal() ? 0 : 1] = sum[acc.isFinal() ? 0 : 1].add(amount);
      }
    });
    List<CurrencyTotal> totals = new ArrayList<>();
    sums.forEach((currency, sum) -> totals.add(new CurrencyTotal(currency, sum[0].add(sum[1]), sum[0], sum[1])));
    return new OverageReport(period, now, lines, totals);
  }

  /**
   * {@code units × price}, rounded half-up to the currency's minor unit. Half-up is what invoices
   * use; rounding each line (not the total) makes the totals the sums of what each line shows.
   */
  static BigDecimal amountOf(OveragePrice price, long units) {
    int digits = Math.max(0, price.currency().getDefaultFractionDigits());
    return price.costOf(units).setScale(digits, RoundingMode.HALF_UP);
  }

  /** Streams every counter row of the month to {@code sink}, through a cursor; returns how many. */
  static long export(Connection c, Map<String, Plan> plans, YearMonth period, Consumer<UsageRow> sink) throws SQLException {
    long rows = 0;
    Map<String, Map<String, Limit>> limits = new HashMap<>();
    plans.forEach((name, plan) -> limits.put(name, plan.limits()));
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT c.subject, s.plan, s.billing_anchor, c.metric, c.window_start, c.used, c.from_bonus, c.overage"
            + " FROM counters c JOIN subjects s ON s.id = c.subject WHERE c.window_start >= ? AND c.window_start < ?"
            + " ORDER BY c.subject, c.metric, c.window_start")) {
      ps.setFetchSize(FETCH_SIZE);
      ps.setLong(1, start(period));
      ps.setLong(2, start(period.plusMonths(1)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String planName = rs.getString(2);
          Map<String, Limit> ofPlan = limits.get(planName);
          Limit limit = ofPlan == null ? null : ofPlan.get(rs.getString(4));
          Instant windowStart = Instant.ofEpochMilli(rs.getLong(5));
          long used = rs.getLong(6);
          long bonus = rs.getLong(7);
          long overage = rs.getLong(8);
          sink.accept(new UsageRow(rs.getString(1), planName, rs.getString(4), limit == null ? null : limit.limit(), used,
              used - bonus - overage, bonus, overage, windowStart, windowEnd(limit, Store.instant(rs, 3), windowStart)));
          rows++;
        }
      }
    }
    return rows;
  }

  private static Instant windowEnd(Limit limit, Instant anchor, Instant windowStart) {
    return limit == null ? null : Window.of(limit.period(), anchor, windowStart).end();
  }

  private static long start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
