package io.quotient.engine;

import io.quotient.plan.Limit;

/**
 * One counter row in memory while a batch holds its lock: usage of one metric in one window.
 * Mutable, confined to the writer thread that locked it.
 */
final class Counter {
  final CounterKey key;
  long used;
  long fromBonus;
  long overage;
  long held;
  boolean dirty;

  Counter(CounterKey key, long used, long fromBonus, long overage, long held) {
    this.key = key;
    this.used = used;
    this.fromBonus = fromBonus;
    this.overage = overage;
    this.held = held;
  }

  static Counter empty(CounterKey key) {
    return new Counter(key, 0, 0, 0, 0);
  }

  /** Units of the plan's allowance consumed: everything used that did not come from a grant or overage. */
  long planUsed() {
    return used - fromBonus - overage;
  }

  /**
   * The allowance left in this window: {@code limit - taken}, never below 0; null when unlimited.
   * The one formula for "remaining" (decisions, settlements, status).
   */
  Long remaining(Limit limit) {
    return limit.isUnlimited() ? null : Math.max(0, limit.limit() - taken(limit));
  }

  /**
   * The allowance in use: plan units used plus units held; for a {@code concurrent} limit only the
   * units held, since in-flight units are never counted as usage.
   */
  long taken(Limit limit) {
    return limit.isConcurrent() ? held : planUsed() + held;
  }

  void add(Allocation allocation) {
    add(allocation.fromPlan(), allocation.fromBonus(), allocation.overage());
  }

  void add(long fromPlan, long bonus, long over) {
    used = Math.addExact(used, Math.addExact(fromPlan, Math.addExact(bonus, over)));
    fromBonus = Math.addExact(fromBonus, bonus);
    overage = Math.addExact(overage, over);
    dirty = true;
  }

  void hold(long amount) {
    held = Math.addExact(held, amount);
    dirty = true;
  }

  void unhold(long amount) {
    held = Math.max(0, held - amount);
    dirty = true;
  }
}
