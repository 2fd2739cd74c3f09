package io.quotient.bench.report;

import io.quotient.bench.load.Measurement;

/**
 * One line of the table.
 *
 * @param scenario what ran, such as {@code engine consume spread}
 * @param shape spread or hot, for the baseline ratio
 * @param callers concurrent callers (or connections, or clients); for open loop, the fixed rate
 * @param decisionsPerSecond decisions answered per second
 * @param p50Millis median latency, or NaN when the source does not give it
 * @param p99Millis 99th percentile, or NaN
 * @param p999Millis 99.9th percentile, or NaN
 * @param granted decisions granted in the measured window, or -1 when unknown
 * @param denied decisions denied (or failed, for baselines), or -1 when unknown
 * @param audit the database check after the scenario: {@code ok}, {@code FAILED}, or {@code -}
 * @param baseline true for a baseline row, which gets no ratios
 * @param note anything else the reader needs (failures, fsync mode)
 */
public record Row(
    String scenario,
    Shape shape,
    String callers,
    double decisionsPerSecond,
    double p50Millis,
    double p99Millis,
    double p999Millis,
    long granted,
    long denied,
    String audit,
    boolean baseline,
    String note) {

  /** A scenario row from a driver's measurement. */
  public static Row of(String scenario, Shape shape, String callers, Measurement m, String audit, String note) {
    return new Row(
        scenario,
        shape,
        callers,
        m.decisionsPerSecond(),
        m.latencyMillis(50),
        m.latencyMillis(99),
        m.latencyMillis(99.9),
        m.granted(),
        m.denied(),
        audit,
        false,
        note);
  }

  /** The same row with another audit result. */
  public Row withAudit(String value) {
    return new Row(scenario, shape, callers, decisionsPerSecond, p50Millis, p99Millis, p999Millis, granted, denied, value, baseline, note);
  }
}
