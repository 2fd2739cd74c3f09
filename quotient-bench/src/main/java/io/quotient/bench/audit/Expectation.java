package io.quotient.bench.audit;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the callers were told over the whole scenario (set-up and warm-up included): granted units
 * and denied decisions. The audit compares it with the database. Thread-safe.
 */
public final class Expectation {
  private final LongAdder grantedUnits = new LongAdder();
  private final LongAdder deniedDecisions = new LongAdder();
  private final LongAdder unknown = new LongAdder();

  /** Records answers: {@code granted} decisions of {@code units} units each, {@code denied} denials. */
  public void answered(long granted, long units, long denied) {
    if (granted > 0) {
      grantedUnits.add(granted * units);
    }
    if (denied > 0) {
      deniedDecisions.add(denied);
    }
  }

  /** Records calls whose outcome the caller never learnt (an error or a timeout). */
  public void unknown(long decisions) {
    unknown.add(decisions);
  }

  /** Units granted in answers. */
  public long grantedUnits() {
    return grantedUnits.sum();
  }

  /** Decisions denied in answers. */
  public long deniedDecisions() {
    return deniedDecisions.sum();
  }

  /** Decisions whose outcome the callers never learnt. */
  public long unknownDecisions() {
    return unknown.sum();
  }
}
