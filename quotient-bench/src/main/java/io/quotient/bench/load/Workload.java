package io.quotient.bench.load;

/**
 * What callers do: opens a {@link Session} per caller. Implementations must be thread-safe, since
 * callers open their sessions concurrently.
 */
public interface Workload {
  /** Decisions each call carries: 1 for a single consume, 100 for a batch of 100. */
  int decisionsPerCall();

  /** Opens the session of caller number {@code caller}. */
  Session open(int caller) throws Exception;
}
