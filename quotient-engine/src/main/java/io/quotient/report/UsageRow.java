package io.quotient.report;

import java.time.Instant;

/**
 * One row of the usage export: a subject's usage of one metric in one window.
 *
 * @param subject the subject
 * @param plan its plan now
 * @param metric the metric
 * @param limit the plan's limit now; null when unlimited or the metric left the plan
 * @param used every unit counted in the window
 * @param fromPlan the part of {@code used} from the plan's allowance
 * @param fromBonus the part from grants
 * @param overage the part past a soft limit
 * @param windowStart the window's start
 * @param windowEnd its end; null when the metric left the plan (its period is unknown)
 */
public record UsageRow(
    String subject, String plan, String metric, Long limit, long used, long fromPlan, long fromBonus, long overage,
    Instant windowStart, Instant windowEnd) {}
