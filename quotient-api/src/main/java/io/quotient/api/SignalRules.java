package io.quotient.api;

import java.math.BigDecimal;

/**
 * The abuse and anomaly signals' rules: {@code GET} and {@code PUT /v1/signal-rules}. A PUT
 * replaces them all; a group or field left out takes its default.
 *
 * @param denialBurst denials per subject within a sliding window
 * @param race decisions per subject at once, and idempotency conflicts per subject
 * @param spike the last hour against the subject's hourly baseline of the last 7 days
 * @param credentialAbuse 401/403 answers per key and per client address
 * @param episodeQuietSeconds an episode ends once its rule has not held for this long
 */
public record SignalRules(
    DenialBurst denialBurst, Race race, Spike spike, CredentialAbuse credentialAbuse, long episodeQuietSeconds) {

  /**
   * @param count denials (default 5)
   * @param windowSeconds within this many seconds (default 60)
   */
  public record DenialBurst(int count, long windowSeconds) {}

  /**
   * @param requests decisions in one engine batch or within {@code windowMillis} (default 10)
   * @param windowMillis default 10
   * @param conflicts idempotency conflicts (409/422) within {@code conflictWindowSeconds} (default 3)
   * @param conflictWindowSeconds default 60
   */
  public record Race(int requests, long windowMillis, int conflicts, long conflictWindowSeconds) {}

  /**
   * @param factor the last hour at least this many times the baseline (default 3)
   * @param minUnits and at least this many units (default 20)
   * @param minHistoryHours for a subject first seen at least this many hours ago (default 24)
   */
  public record Spike(BigDecimal factor, long minUnits, long minHistoryHours) {}

  /**
   * @param failures 401/403 answers for one key or one address (default 10)
   * @param windowSeconds within this many seconds (default 60)
   */
  public record CredentialAbuse(int failures, long windowSeconds) {}
}
