package io.quotient.bench.load;

import java.util.function.LongSupplier;

/**
 * A reading taken when a driver's measurement window opens and again when it closes, such as a
 * process's CPU time: {@link #delta} is what the window spent of it. Thread-safe.
 */
public final class Probe {
  private final LongSupplier reading;
  private volatile long atStart;
  private volatile long atEnd;
  private volatile boolean done;

  private Probe(LongSupplier reading) {
    this.reading = reading;
  }

  /** A probe of {@code reading}, which must not decrease. */
  public static Probe of(LongSupplier reading) {
    return new Probe(reading);
  }

  void start() {
    atStart = reading.getAsLong();
  }

  void end() {
    atEnd = reading.getAsLong();
    done = true;
  }

  /** The reading's growth over the measurement window; fails before the window has closed. */
  public long delta() {
    if (!done) {
      throw new IllegalStateException("the measurement window has not closed yet");
    }
    return atEnd - atStart;
  }
}
