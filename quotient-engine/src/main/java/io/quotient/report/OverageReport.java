package io.quotient.report;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * The overage of a calendar month (UTC).
 *
 * @param period the month
 * @param generatedAt when the report was computed (lines are final or provisional as of then)
 * @param lines per subject and metric with overage, by subject then metric
 * @param totals per currency, by currency code
 */
public record OverageReport(YearMonth period, Instant generatedAt, List<OverageLine> lines, List<CurrencyTotal> totals) {
  public OverageReport {
    lines = List.copyOf(lines);
    totals = List.copyOf(totals);
  }
}
