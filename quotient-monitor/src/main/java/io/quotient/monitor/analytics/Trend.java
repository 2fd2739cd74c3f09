package io.quotient.monitor.analytics;

import java.util.Locale;

/**
 * Where a metric's daily use is heading. The rule: the average of the last 7 complete days against
 * the average of the (up to 7) complete days before them — more than 10% higher is
 * {@link #INCREASING}, more than 10% lower {@link #DECREASING}, else {@link #STABLE}; with no
 * complete day before the last 7, {@link #STABLE}.
 */
public enum Trend {
  INCREASING,
  DECREASING,
  STABLE;

  /** {@code increasing}, {@code decreasing} or {@code stable}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
