package io.quotient.event;

import java.time.Instant;

/**
 * One metric of an event.
 *
 * @param metric the metric
 * @param amount units asked for, given back, held or committed
 * @param limit the allowance at the time; null when unlimited or not in the plan
 * @param used usage of the window after the event
 * @param remaining allowance left after; null when unlimited
 * @param fromPlan units from the plan's allowance
 * @param fromBonus units from grants
 * @param overage units past a soft limit
 * @param windowStart the window the units counted in
 * @param held units held by open reservations in the window after the event
 * @param bonusRemaining bonus units left in unexpired grants after the event
 * @param resetsAt when the window ends; null for {@code total} (and for events without a window)
 */
public record EventItem(
    String metric, long amount, Long limit, Long used, Long remaining, long fromPlan, long fromBonus, long overage,
    Instant windowStart, long held, long bonusRemaining, Instant resetsAt) {

  /** An item without held units, bonus or window end (as the audit trail's first readers built it). */
  public EventItem(
      String metric, long amount, Long limit, Long used, Long remaining, long fromPlan, long fromBonus, long overage,
      Instant windowStart) {
    this(metric, amount, limit, used, remaining, fromPlan, fromBonus, overage, windowStart, 0, 0, null);
  }
}
