package io.quotient.api;

import java.time.Instant;

/**
 * One row of {@code GET /v1/exports/usage?period=YYYY-MM}: a subject's usage of one metric in one
 * window that starts in the month. In JSON the export is {@code {"period":…,"rows":[…]}}; in CSV
 * the columns are these members in this order, with a header line.
 *
 * @param subject the subject
 * @param plan its plan
 * @param metric the metric
 * @param windowStart the window's start
 * @param windowEnd its end; null when the metric is no longer in the plan
 * @param limit the plan's limit; null when unlimited or the metric is no longer in the plan
 * @param used every unit counted in the window
 * @param fromPlan the part of used from the allowance
 * @param fromBonus the part from grants
 * @param overage the part past a soft limit
 */
public record UsageExportRow(
    String subject, String plan, String metric, Instant windowStart, Instant windowEnd, Long limit, long used,
    long fromPlan, long fromBonus, long overage) {

  /** The CSV header, the members' names in order. */
  public static final String CSV_HEADER = "subject,plan,metric,windowStart,windowEnd,limit,used,fromPlan,fromBonus,overage";
}
