package io.quotient.monitor.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: Svix's schedule — at once, then after 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h and 10 h (eight attempts over about 27.5 hours) — each delay spread by ±20% so
 * that endpoints that failed together are not retried together. A {@code Retry-After} longer than
 * the delay wins (never before the receiver asked), capped at the longest delay.
 */
final class Schedule {
  static final List<Duration> DELAYS =
      List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
          Duration.ofHours(10), Duration.ofHours(10));
  /** Attempts in all, the first included. */
  static final int ATTEMPTS = DELAYS.size() + 1;
  private static final Duration LONGEST = Duration.ofHours(10);

  private Schedule() {}

  /**
   * The delay after failed attempt number {@code attempt} (1 for the first); null when it was the
   * last.
   */
  static Duration after(int attempt, Duration retryAfter) {
    if (attempt >= ATTEMPTS) {
      return null;
    }
    Duration base = DELAYS.get(attempt - 1);
    long millis = base.toMillis();
    long jittered = millis + ThreadLocalRandom.current().nextLong(-millis / 5, millis / 5 + 1);
    Duration delay = Duration.ofMillis(jittered);
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter.compareTo(LONGEST) > 0 ? LONGEST : retryAfter;
    }
    return delay;
  }
}
