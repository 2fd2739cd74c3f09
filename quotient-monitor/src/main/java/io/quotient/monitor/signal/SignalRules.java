package io.quotient.monitor.signal;

import io.quotient.InvalidArgumentException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds of the signals, which the operator may change ({@code PUT /v1/signal-rules}).
 *
 * @param denialCount denial burst: this many denials for a subject…
 * @param denialWindow …within this sliding window (default 5 within 1 minute)
 * @param raceRequests race: this many decisions for a subject in one engine batch or…
 * @param raceWindow …within this window (default 10 within 10 ms)
 * @param conflictCount race: this many idempotency conflicts (409/422) for a subject…
 * @param conflictWindow …within this window (default 3 within 1 minute)
 * @param spikeFactor usage spike: the last hour's units at least this many times the hourly baseline…
 * @param spikeMinUnits …and at least this many units (default 3 times and 20 units)…
 * @param spikeMinHistory …for a subject first seen at least this long ago (default 24 hours)
 * @param credentialFailures credential abuse: this many 401/403 for one key or address…
 * @param credentialWindow …within this window (default 10 within 1 minute)
 * @param episodeQuiet an episode ends once its rule has not held for this long (default 10 minutes)
 */
public record SignalRules(
    int denialCount,
    Duration denialWindow,
    int raceRequests,
    Duration raceWindow,
    int conflictCount,
    Duration conflictWindow,
    BigDecimal spikeFactor,
    long spikeMinUnits,
    Duration spikeMinHistory,
    int credentialFailures,
    Duration credentialWindow,
    Duration episodeQuiet) {

  /** The defaults: in force until an operator puts rules. */
  public static final SignalRules DEFAULTS =
      new SignalRules(
          5, Duration.ofMinutes(1), 10, Duration.ofMillis(10), 3, Duration.ofMinutes(1), BigDecimal.valueOf(3), 20,
          Duration.ofHours(24), 10, Duration.ofMinutes(1), Duration.ofMinutes(10));

  // The marks kept per target are capped at a count, so counts are bounded too.
  private static final int MAX_COUNT = 10_000;

  public SignalRules {
    count(denialCount, "denialBurst.count");
    window(denialWindow, "denialBurst.windowSeconds", Duration.ofSeconds(1), Duration.ofDays(1));
    count(raceRequests, "race.requests");
    window(raceWindow, "race.windowMillis", Duration.ofMillis(1), Duration.ofMinutes(1));
    count(conflictCount, "race.conflicts");
    window(conflictWindow, "race.conflictWindowSeconds", Duration.ofSeconds(1), Duration.ofDays(1));
    InvalidArgumentException.require(
        spikeFactor != null && spikeFactor.compareTo(BigDecimal.ONE) > 0 && spikeFactor.compareTo(BigDecimal.valueOf(1000)) <= 0,
        "spike.factor", "must be more than 1 and at most 1000");
    InvalidArgumentException.require(spikeMinUnits >= 1, "spike.minUnits", "must be at least 1");
    window(spikeMinHistory, "spike.minHistoryHours", Duration.ofHours(1), Duration.ofDays(7));
    InvalidArgumentException.require(spikeMinHistory.toSeconds() % 3600 == 0, "spike.minHistoryHours", "must be whole hours");
    count(credentialFailures, "credentialAbuse.failures");
    window(credentialWindow, "credentialAbuse.windowSeconds", Duration.ofSeconds(1), Duration.ofDays(1));
    window(episodeQuiet, "episodeQuietSeconds", Duration.ofSeconds(1), Duration.ofDays(7));
  }

  private static void count(int value, String field) {
    InvalidArgumentException.require(value >= 2 && value <= MAX_COUNT, field, "must be between 2 and " + MAX_COUNT);
  }

  private static void window(Duration value, String field, Duration min, Duration max) {
    Objects.requireNonNull(value, field);
    InvalidArgumentException.require(
        value.compareTo(min) >= 0 && value.compareTo(max) <= 0, field, "must be between " + min + " and " + max);
  }
}
