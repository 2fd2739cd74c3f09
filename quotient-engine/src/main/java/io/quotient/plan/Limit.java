package io.quotient.plan;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One metric's limit within a plan.
 *
 * @param limit the allowance per period; {@code null} means unlimited
 * @param period when usage starts again from zero
 * @param enforcement hard (deny) or soft (allow and count overage) past the limit
 * @param overagePrice optional price per unit of overage; null when none
 * @param rate optional burst rate limit; null when none
 */
public record Limit(Long limit, Period period, Enforcement enforcement, OveragePrice overagePrice, Rate rate) {
  public Limit {
    InvalidArgumentException.require(limit == null || limit >= 0, "limit", "must be 0 or more, or null for unlimited");
    InvalidArgumentException.require(limit == null || limit <= Names.MAX_AMOUNT, "limit", "must be at most 2^53");
    InvalidArgumentException.require(period != null, "period", "is required");
    enforcement = Objects.requireNonNullElse(enforcement, Enforcement.HARD);
    // Units in flight past the cap would be a broken promise, and nothing is counted to bill.
    InvalidArgumentException.require(period != Period.CONCURRENT || enforcement == Enforcement.HARD, "enforcement",
        "must be hard for a concurrent limit");
    InvalidArgumentException.require(period != Period.CONCURRENT || overagePrice == null, "overagePrice",
        "must be absent for a concurrent limit: its units are never counted as usage");
  }

  /** True when the limit caps units in flight ({@link Period#CONCURRENT}) rather than usage in a window. */
  public boolean isConcurrent() {
    return period == Period.CONCURRENT;
  }

  /** A hard limit without price or rate. */
  public static Limit of(long limit, Period period) {
    return new Limit(limit, period, Enforcement.HARD, null, null);
  }

  /** An unlimited allowance (usage is still counted). */
  public static Limit unlimited(Period period) {
    return new Limit(null, period, Enforcement.HARD, null, null);
  }

  /** The same limit with another enforcement. */
  public Limit withEnforcement(Enforcement value) {
    return new Limit(limit, period, value, overagePrice, rate);
  }

  /** The same limit with an overage price. */
  public Limit withOveragePrice(OveragePrice value) {
    return new Limit(limit, period, enforcement, value, rate);
  }

  /** The same limit with a burst rate. */
  public Limit withRate(Rate value) {
    return new Limit(limit, period, enforcement, overagePrice, value);
  }

  /** True when there is no allowance cap. */
  public boolean isUnlimited() {
    return limit == null;
  }

  /** The cap, empty when unlimited. */
  public OptionalLong cap() {
    return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
  }
}
