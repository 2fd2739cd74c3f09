package io.quotient.plan;

/** How often a limit's usage starts again from zero. */
public enum Period {
  /** Calendar month in UTC; resets at 00:00 on the 1st. */
  MONTH,
  /** A month anchored on the subject's billing anchor day; the 31st clamps to the last day. */
  BILLING_MONTH,
  /** Calendar day in UTC. */
  DAY,
  /** Clock hour in UTC. */
  HOUR,
  /** Never resets: a gauge, such as projects, given back by a refund when one is deleted. */
  TOTAL,
  /**
   * Units in flight ("at most 2 generations at once"): a reservation holds them while the work
   * runs, and commit, release or expiry always gives them all back; they are never counted as
   * usage. A consume of such a metric ends as it starts: granted when the units are free, it
   * counts nothing. Always {@link Enforcement#HARD hard}, without an overage price.
   */
  CONCURRENT;

  /** The wire name: {@code month}, {@code billing_month}, {@code day}, {@code hour}, {@code total}, {@code concurrent}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses a wire name; null when there is none by that name. */
  public static Period fromWireName(String name) {
    for (Period period : values()) {
      if (period.wireName().equals(name)) {
        return period;
      }
    }
    return null;
  }
}
