package io.quotient.bench.report;

/** How load falls on subjects, which decides the baseline a scenario is compared with. */
public enum Shape {
  /** Spread over 10,000 subjects. */
  SPREAD,
  /** Every request on one subject. */
  HOT;

  /** The lower-case name used in scenario names. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
