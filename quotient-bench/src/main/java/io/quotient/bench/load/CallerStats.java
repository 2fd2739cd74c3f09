package io.quotient.bench.load;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/** One caller's counts and latencies; written by that caller only, read after it has stopped. */
final class CallerStats {
  /** Latencies above a minute are clamped: something is badly wrong by then anyway. */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

  final AbstractHistogram latency = new IntCountsHistogram(MAX_MICROS, 3);
  long calls;
  long granted;
  long errors;
  Exception firstError;

  void record(long latencyNanos, int grantedDecisions) {
    latency.recordValue(Math.min(MAX_MICROS, Math.max(1, latencyNanos / 1000)));
    calls++;
    granted += grantedDecisions;
  }

  void error(Exception e) {
    errors++;
    if (firstError == null) {
      firstError = e;
    }
  }

  static Measurement merge(List<CallerStats> all, int decisionsPerCall, long elapsedNanos) {
    Histogram latency = new Histogram(MAX_MICROS, 3);
    long calls = 0;
    long granted = 0;
    long errors = 0;
    for (CallerStats stats : all) {
      latency.add(stats.latency);
      calls += stats.calls;
      granted += stats.granted;
      errors += stats.errors;
    }
    return new Measurement(calls, calls * decisionsPerCall, granted, errors, elapsedNanos, latency);
  }

  static Exception firstError(List<CallerStats> all) {
    return all.stream().map(s -> s.firstError).filter(e -> e != null).findFirst().orElse(null);
  }
}
