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
    Phase phase = new Phase();
    List<CallerStats> stats = new ArrayList<>(callers);
    List<Thread> threads = new ArrayList<>(callers);
    CountDownLatch ready = new CountDownLatch(callers);
    for (int i = 0; i < callers; i++) {
      CallerStats mine = new CallerStats();
      stats.add(mine);
      int caller = i;
      threads.add(
          Thread.ofVirtual()
              .name("caller-" + i)
              .start(
                  () -> {
                    Session session;
                    try {
                      session = workload.open(caller);
                    } catch (Exception e) {
                      mine.error(e);
                      ready.countDown();
                      return;
                    }
                    ready.countDown();
                    try (session) {
                      phase.awaitStart();
                      loop(session, phase, mine);
                    } catch (Exception e) {
                      mine.error(e);
                    }
                  }));
    }
    ready.await();
    long elapsed = phase.runPhases(warmup, duration);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(60));
    }
    Measurement measurement = CallerStats.merge(stats, workload.decisionsPerCall(), elapsed);
    return Phase.failIfAllFailed(measurement, stats);
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
