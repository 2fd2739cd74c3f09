package io.quotient.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What closed and open loops share: virtual-thread callers that each open a session, wait for the
 * start, run their loop, and report into their own {@link CallerStats}, merged at the end.
 */
final class Callers {
  private Callers() {}

  /** One caller's loop, run after the start; it returns when its load is done. */
  interface Body {
    void run(Session session, CallerStats stats) throws Exception;
  }

  /**
   * Starts {@code count} callers, waits until each has opened its session, runs {@code atStart},
   * then {@code warmup} and {@code duration} measured (read by {@code probes}), joins them and merges their figures.
   */
  static Measurement drive(
      Workload workload, int count, String name, Phase phase, Duration warmup, Duration duration, Runnable atStart,
      List<Probe> probes, Body body) throws InterruptedException {
    List<CallerStats> stats = new ArrayList<>(count);
    List<Thread> threads = new ArrayList<>(count);
    CountDownLatch ready = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      CallerStats mine = new CallerStats();
      stats.add(mine);
      int caller = i;
      threads.add(
          Thread.ofVirtual()
              .name(name + "-" + i)
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
                      body.run(session, mine);
                    } catch (Exception e) {
                      mine.error(e);
                    }
                  }));
    }
    ready.await();
    atStart.run();
    long elapsed = phase.runPhases(warmup, duration, probes);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(60));
    }
    Measurement measurement = CallerStats.merge(stats, workload.decisionsPerCall(), elapsed);
    return Phase.failIfAllFailed(measurement, stats);
  }
}
