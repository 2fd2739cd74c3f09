package io.quotient.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: calls are due at a fixed rate whatever the answers do, and each call's latency
 * is measured from the time it was due, not from when a worker got round to sending it. When the
 * system falls behind, the wait shows in the latency instead of silently lowering the rate
 * (no coordinated omission).
 *
 * <p>Workers take numbered tickets in order; ticket {@code i} is due at {@code start + i / rate}.
 * A worker that takes a ticket late (because every worker was busy) still measures from the due
 * time. {@code workers} bounds the calls in flight, so it must be well above rate times latency.
 * Every call due before the end of the window is made and measured, however late it runs.
 */
public final class OpenLoop {
  private OpenLoop() {}

  /**
   * Runs {@code workload} at {@code callsPerSecond} with up to {@code workers} calls in flight:
   * {@code warmup} at that rate, then {@code duration} measured.
   */
  public static Measurement run(Workload workload, double callsPerSecond, int workers, Duration warmup, Duration duration)
      throws InterruptedException {
    if (!(callsPerSecond > 0)) {
      throw new IllegalArgumentException("callsPerSecond must be greater than 0, was " + callsPerSecond);
    }
    double intervalNanos = 1e9 / callsPerSecond;
    AtomicLong tickets = new AtomicLong();
    Phase phase = new Phase();
    long[] origin = new long[1];
    return Callers.drive(
        workload, workers, "worker", phase, warmup, duration, () -> origin[0] = System.nanoTime(), List.of(),
        (session, mine) -> {
          while (true) {
            long due = origin[0] + (long) (tickets.getAndIncrement() * intervalNanos);
            long measureEnd = phase.measureEndNanos;
            if (measureEnd != 0 && due >= measureEnd) {
              break; // every call due in the window is made, however late
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            try {
              int granted = session.call();
              long end = System.nanoTime();
              long measureStart = phase.measureStartNanos;
              if (measureStart != 0 && due >= measureStart && due < phase.measureEndNanos) {
                mine.record(end - due, granted);
              }
            } catch (Exception e) {
              mine.error(e);
            }
          }
        });
  }
}
