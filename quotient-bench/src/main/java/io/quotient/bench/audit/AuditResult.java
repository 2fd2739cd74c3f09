package io.quotient.bench.audit;

import java.util.List;

/**
 * What the audit found.
 *
 * @param counterUnits sum of {@code used} over the counters
 * @param eventUnits sum of granted amounts over the consume events
 * @param grantedEvents consume events granted
 * @param deniedEvents consume events denied
 * @param overLimit counter rows past their hard limit
 * @param problems every disagreement, in words; empty when the audit passed
 */
public record AuditResult(long counterUnits, long eventUnits, long grantedEvents, long deniedEvents, long overLimit,
    List<String> problems) {
  public AuditResult {
    problems = List.copyOf(problems);
  }

  /** True when nothing disagreed. */
  public boolean passed() {
    return problems.isEmpty();
  }

  /** {@code ok} or {@code FAILED}, for the table. */
  public String label() {
    return passed() ? "ok" : "FAILED";
  }
}
