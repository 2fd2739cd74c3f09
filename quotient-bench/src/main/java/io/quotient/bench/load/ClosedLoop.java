package io.quotient.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Closed-loop load: {@code callers} virtual threads, each making one call after another as fast as
 * answers come back. Peak throughput at a given concurrency; latency here hides queueing (see
 * {@link OpenLoop} for that).
 *
 * <p>Every call made during warm-up still happens for real (the audit counts it); only the
 * measurement window is reported.
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  /** Runs {@code workload} with {@code callers} callers: {@code warmup}, then {@code duration} measured. */
  public static Measurement run(Workload workload, int callers, Duration warmup, Duration duration)
      throws InterruptedException {
    return run(workload, callers, warmup, duration, List.of());
  }

  /** As {@link #run(Workload, int, Duration, Duration)}, reading {@code probes} as the measurement window opens and closes. */
  public static Measurement run(Workload workload, int callers, Duration warmup, Duration duration, List<Probe> probes)
      throws InterruptedException {
    Phase phase = new Phase();
    return Callers.drive(
        workload, callers, "caller", phase, warmup, duration, () -> {}, probes, (session, stats) -> loop(session, phase, stats));
  }

  private static void loop(Session session, Phase phase, CallerStats stats) {
    while (true) {
      int state = phase.state;
      if (state == Phase.STOPPED) {
        return;
      }
      long start = System.nanoTime();
      try {
        int granted = session.call();
        if (state == Phase.MEASURING && phase.state == Phase.MEASURING) {
          stats.record(System.nanoTime() - start, granted);
        }
      } catch (Exception e) {
        stats.error(e);
        if (stats.errors > 100 && stats.calls == 0) {
          return;
        }
      }
    }
  }
}
