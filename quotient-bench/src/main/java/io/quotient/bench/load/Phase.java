package io.quotient.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The phases every driver goes through: waiting, warming up, measuring, stopped. Thread-safe. */
final class Phase {
  static final int WAITING = 0;
  static final int WARMING_UP = 1;
  static final int MEASURING = 2;
  static final int STOPPED = 3;

  private final CountDownLatch started = new CountDownLatch(1);
  volatile int state = WAITING;
  volatile long measureStartNanos;
  volatile long measureEndNanos;

  void awaitStart() throws InterruptedException {
    started.await();
  }

  /**
   * Starts the callers, sleeps through warm-up and measurement (reading {@code probes} as the
   * window opens and closes), stops them; returns the window's length.
   */
  long runPhases(Duration warmup, Duration duration, List<Probe> probes) throws InterruptedException {
    state = WARMING_UP;
    started.countDown();
    Thread.sleep(warmup);
    probes.forEach(Probe::start);
    long start = System.nanoTime();
    measureEndNanos = start + duration.toNanos(); // the end first: whoever sees the start sees the end
    measureStartNanos = start;
    state = MEASURING;
    Thread.sleep(duration);
    state = STOPPED;
    long elapsed = System.nanoTime() - measureStartNanos;
    probes.forEach(Probe::end);
    return elapsed;
  }

  static Measurement failIfAllFailed(Measurement measurement, List<CallerStats> stats) {
    if (measurement.calls() == 0) {
      Exception cause = CallerStats.firstError(stats);
      throw new IllegalStateException(
          "no call succeeded" + (cause == null ? "" : ": " + cause), cause);
    }
    if (measurement.errors() > 0) {
      Exception cause = CallerStats.firstError(stats);
      System.err.println("  warning: " + measurement.errors() + " calls failed, first: " + cause);
    }
    return measurement;
  }
}
