package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/reports/overage?period=YYYY-MM}: a calendar month's (UTC) overage
 * per subject and metric, priced, with totals per currency. Money is a decimal string rounded
 * half-up to the currency's minor unit ({@code "12.35"} EUR, {@code "1235"} JPY, {@code "1.235"} BHD).
 *
 * @param period the month, {@code YYYY-MM}
 * @param generatedAt when the report was computed
 * @param lines by subject, then metric
 * @param totals by currency code
 */
public record OverageReport(String period, Instant generatedAt, List<Line> lines, List<Total> totals) {

  /**
   * One subject's overage of one metric in the windows that start in the month.
   *
   * @param subject the subject
   * @param plan its plan (whose price applies)
   * @param metric the metric
   * @param overageUnits units counted past the soft limit
   * @param unitPrice price per unit; null when the plan prices none
   * @param currency ISO 4217 code; null without a price
   * @param amount {@code overageUnits × unitPrice}, rounded; null without a price
   * @param status {@code final} (every window counted has ended) or {@code provisional}
   */
  public record Line(
      String subject, String plan, String metric, long overageUnits, String unitPrice, String currency, String amount,
      String status) {}

  /**
   * The priced lines of one currency, summed (the sums of the rounded line amounts).
   *
   * @param currency ISO 4217 code
   * @param amount every line
   * @param finalAmount the final lines
   * @param provisionalAmount the provisional lines
   */
  public record Total(String currency, String amount, String finalAmount, String provisionalAmount) {}
}
