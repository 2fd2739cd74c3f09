package io.quotient.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something another thread or process makes true (a listener reconnecting, a cache
 * dropping a row), failing with what was awaited once a generous bound passes. The bound is a
 * deadline against hanging, not a timing claim.
 */
public final class Eventually {
  private Eventually() {}

  /** Polls {@code condition} every 20 ms until it holds; fails naming {@code what} after {@code bound}. */
  public static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + bound.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
  }
}
