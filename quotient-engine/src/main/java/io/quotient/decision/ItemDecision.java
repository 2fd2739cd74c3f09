package io.quotient.decision;

import java.time.Instant;

/**
 * The decision for one item, and the metric's state after it.
 *
 * @param metric the metric
 * @param amount the amount asked for
 * @param limit the plan's allowance, null when unlimited (or when the metric is not in the plan)
 * @param used units counted in the window after this decision (held units not included)
 * @param held units held by open reservations in the window
 * @param remaining plan allowance left ({@code limit - used - held}, never below 0); null when unlimited
 * @param bonusRemaining bonus units left in unexpired grants
 * @param windowStart start of the window the item counted in
 * @param resetsAt when the window ends; null for {@code total}
 * @param fromPlan units of this decision taken from the plan's allowance
 * @param fromBonus units taken from bonus grants
 * @param overage units past a soft limit
 * @param reason why this item alone could not be granted; null when it could
 *
 * <p>Made with {@link #unmetered} or {@link #of}{@code (metric, amount)} and the builder's named
 * setters, never with thirteen positional arguments.
 */
public record ItemDecision(
    String metric,
    long amount,
    Long limit,
    long used,
    long held,
    Long remaining,
    long bonusRemaining,
    Instant windowStart,
    Instant resetsAt,
    long fromPlan,
    long fromBonus,
    long overage,
    DenialReason reason) {

  /**
   * An item no window counted: its metric is not in the plan, or its subject is unknown.
   *
   * @param reason why it was denied
   */
  public static ItemDecision unmetered(String metric, long amount, DenialReason reason) {
    return new ItemDecision(metric, amount, null, 0, 0, null, 0, null, null, 0, 0, 0, reason);
  }

  /** Starts an item of {@code amount} units of {@code metric}; every other part is 0 or null until set. */
  public static Builder of(String metric, long amount) {
    return new Builder(metric, amount);
  }

  /** Builds an {@link ItemDecision} part by part. Not thread-safe; use once. */
  public static final class Builder {
    private final String metric;
    private final long amount;
    private Long limit;
    private long used;
    private long held;
    private Long remaining;
    private long bonusRemaining;
    private Instant windowStart;
    private Instant resetsAt;
    private long fromPlan;
    private long fromBonus;
    private long overage;
    private DenialReason reason;

    private Builder(String metric, long amount) {
      this.metric = metric;
      this.amount = amount;
    }

    /** The allowance and what is left of it; both null when unlimited. */
    public Builder limit(Long value, Long remainingAfter) {
      this.limit = value;
      this.remaining = remainingAfter;
      return this;
    }

    /** Units counted and held in the window after the decision. */
    public Builder usage(long usedAfter, long heldAfter) {
      this.used = usedAfter;
      this.held = heldAfter;
      return this;
    }

    /** Bonus units left in unexpired grants after the decision. */
    public Builder bonusRemaining(long value) {
      this.bonusRemaining = value;
      return this;
    }

    /** The window the item counted in; {@code end} null for {@code total}. */
    public Builder window(Instant start, Instant end) {
      this.windowStart = start;
      this.resetsAt = end;
      return this;
    }

    /** Where this decision's units came from: the plan's allowance, grants, past a soft limit. */
    public Builder split(long plan, long bonus, long over) {
      this.fromPlan = plan;
      this.fromBonus = bonus;
      this.overage = over;
      return this;
    }

    /** Why this item alone could not be granted; null when it could. */
    public Builder reason(DenialReason value) {
      this.reason = value;
      return this;
    }

    public ItemDecision build() {
      return new ItemDecision(
          metric, amount, limit, used, held, remaining, bonusRemaining, windowStart, resetsAt, fromPlan, fromBonus,
          overage, reason);
    }
  }
}
