package io.quotient.engine;

import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;

/**
 * Where the units of one granted item come from, by DESIGN §2's rule: the plan's allowance of the
 * window first, then bonus grants, then overage past the limit. The one implementation of that
 * rule: deciding a consume and committing a reservation both split their amounts here.
 *
 * @param fromPlan units from the window's allowance
 * @param fromBonus units from grants (taken earliest expiry first, see {@link Decider#takeBonus})
 * @param overage units past the limit; a {@link Enforcement#HARD hard} limit refuses any
 */
record Allocation(long fromPlan, long fromBonus, long overage) {
  /** Nothing taken (a denied item). */
  static final Allocation NONE = new Allocation(0, 0, 0);

  /**
   * Splits {@code amount} units against {@code counter} under {@code limit} (null: the metric left
   * the plan, so everything counts against nothing), with {@code bonusAvailable} bonus units free.
   */
  static Allocation of(long amount, Limit limit, Counter counter, long bonusAvailable) {
    if (limit == null || limit.isUnlimited()) {
      return new Allocation(amount, 0, 0);
    }
    long fromPlan = Math.min(amount, counter.remaining(limit));
    long rest = amount - fromPlan;
    long fromBonus = Math.min(rest, bonusAvailable);
    return new Allocation(fromPlan, fromBonus, rest - fromBonus);
  }

  /** True when this split goes past a hard limit: the item must be denied. */
  boolean breaks(Limit limit) {
    return overage > 0 && limit.enforcement() == Enforcement.HARD;
  }
}
