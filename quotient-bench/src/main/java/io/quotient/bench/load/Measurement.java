package io.quotient.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What a driver measured in its measurement window (warm-up excluded).
 *
 * @param calls calls answered
 * @param decisions decisions answered (calls times decisions per call)
 * @param granted decisions granted
 * @param errors calls that failed
 * @param elapsedNanos length of the measurement window
 * @param latencyMicros latency of each call in microseconds
 */
public record Measurement(long calls, long decisions, long granted, long errors, long elapsedNanos, Histogram latencyMicros) {
  /** Decisions denied. */
  public long denied() {
    return decisions - granted;
  }

  /** Decisions answered per second. */
  public double decisionsPerSecond() {
    return decisions * 1e9 / elapsedNanos;
  }

  /** Calls answered per second. */
  public double callsPerSecond() {
    return calls * 1e9 / elapsedNanos;
  }

  /** The latency at {@code percentile} (0 to 100), in milliseconds. */
  public double latencyMillis(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }
}
