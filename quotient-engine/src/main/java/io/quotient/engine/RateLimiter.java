package io.quotient.engine;

import io.quotient.plan.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Burst rate limits as token buckets per subject and metric, kept in this engine's memory: a
 * request takes tokens from every rate-limited item's bucket, or from none. With several engine
 * instances each enforces the rate on its own share of the traffic (DESIGN.md allows burst limits
 * to be approximate). Thread-safe.
 */
final class RateLimiter {
  private static final int MAX_BUCKETS = 100_000;

  private final Map<String, Bucket> buckets = new HashMap<>();

  /** One item that is rate limited: its bucket key, rate and amount. */
  record Claim(String subject, String metric, Rate rate, long amount) {}

  /**
   * Takes the tokens of every claim, or none. Returns the index of the first claim that has not
   * enough tokens, or -1 when all were taken ({@code take == false} only looks).
   */
  synchronized int acquire(List<Claim> claims, Instant now, boolean take) {
    if (buckets.size() > MAX_BUCKETS) {
      buckets.values().removeIf(bucket -> bucket.isFullAt(now));
    }
    for (int i = 0; i < claims.size(); i++) {
      Claim claim = claims.get(i);
      Bucket bucket = buckets.computeIfAbsent(claim.subject() + '\u0000' + claim.metric(), k -> new Bucket(claim.rate(), now));
      bucket.refill(claim.rate(), now);
      if (bucket.tokens < claim.amount()) {
        return i;
      }
    }
    if (take) {
      for (Claim claim : claims) {
        buckets.get(claim.subject() + '\u0000' + claim.metric()).tokens -= claim.amount();
      }
    }
    return -1;
  }

  private static final class Bucket {
    double tokens;
    Instant refilledAt;
    long burst;

    Bucket(Rate rate, Instant now) {
      this.tokens = rate.burst();
      this.burst = rate.burst();
      this.refilledAt = now;
    }

    void refill(Rate rate, Instant now) {
      burst = rate.burst();
      if (now.isAfter(refilledAt)) {
        double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
        tokens = Math.min(burst, tokens + seconds * rate.perSecond());
        refilledAt = now;
      }
      tokens = Math.min(tokens, burst);
    }

    boolean isFullAt(Instant now) {
      return tokens >= burst || now.isAfter(refilledAt.plusSeconds(3600));
    }
  }
}
