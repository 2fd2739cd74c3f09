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
    DenialReason reason) {}
