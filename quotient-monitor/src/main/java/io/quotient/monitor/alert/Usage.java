package io.quotient.monitor.alert;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One subject's usage of one limited metric in one window, as a decision left it, and the one
 * formula for how much of the allowance is in use:
 * {@code (limit − remaining) / (limit + bonusRemaining)}, where {@code remaining} is the plan's
 * allowance left (held units count as used) and bonus units left extend the allowance. So a grant
 * lowers the share (and resolves alerts), a refund or a release raises {@code remaining}, and
 * past a soft limit the share stays at 100 %.
 */
record Usage(String metric, long limit, long used, long remaining, long bonusRemaining, Instant windowStart, Instant resetsAt) {
  /** True when the share in use is at least {@code percent} %. Exact (no floating point). */
  boolean reaches(int percent) {
    long inUse = Math.max(0, limit - remaining);
    long allowance = limit + bonusRemaining;
    if (allowance <= 0) {
      return false; // a zero allowance has no share to cross: every request is simply denied
    }
    // inUse * 100 >= percent * allowance; amounts are at most 2^53, so the products fit in a long
    // except for huge bonus totals, which BigInteger handles.
    try {
      return Math.multiplyExact(inUse, 100L) >= Math.multiplyExact(percent, allowance);
    } catch (ArithmeticException overflow) {
      return BigInteger.valueOf(inUse).multiply(BigInteger.valueOf(100))
          .compareTo(BigInteger.valueOf(percent).multiply(BigInteger.valueOf(allowance))) >= 0;
    }
  }
}
