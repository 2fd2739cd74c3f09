package io.quotient.engine;

import io.quotient.plan.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Burst rate limits as token buckets per subject and metric, kept in this engine's memory: a
 * request takes tokens from every rate-limited item's bucket, or from none, and only once its
 * batch commits (a batch that rolls back and runs again must not take them twice). With several engine
 * instances each enforces the rate on its own share of the traffic (DESIGN.md allows burst limits
 * to be approximate). Thread-safe.
 */
final class RateLimiter {
  private static final int MAX_BUCKETS = 100_000;

  private final Map<String, Bucket> buckets = new HashMap<>();

  /** One item that is rate limited: its bucket key, rate and amount. */
  record Claim(String subject, String metric, Rate rate, long amount) {}

  /**
   * Tokens one batch attempt has taken, not yet applied to the buckets: a batch that rolls back and
   * runs again starts a new one, so only the attempt that commits takes tokens. Confined to the
   * writer thread, like the {@link BatchState} that holds it.
   */
  static final class Tentative {
    private final Map<String, Take> takes = new HashMap<>();

    private record Take(Rate rate, long amount) {}

    long taken(String key) {
      Take take = takes.get(key);
      return take == null ? 0 : take.amount();
    }

    void add(String key, Rate rate, long amount) {
      takes.merge(key, new Take(rate, amount), (a, b) -> new Take(b.rate(), a.amount() + b.amount()));
    }
  }

  /**
   * Decides whether every claim has its tokens, counting those {@code tentative} already took in
   * this batch. Returns the index of the first claim that has not enough tokens, or -1 when all
   * have them; then, when {@code take}, records them in {@code tentative} (applied by
   * {@link #apply} once the batch commits).
   */
  synchronized int acquire(List<Claim> claims, Instant now, Tentative tentative, boolean take) {
    if (buckets.size() > MAX_BUCKETS) {
      buckets.values().removeIf(bucket -> bucket.isFullAt(now));
    }
    for (int i = 0; i < claims.size(); i++) {
      Claim claim = claims.get(i);
      String key = key(claim.subject(), claim.metric());
      Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(claim.rate(), now));
      bucket.refill(claim.rate(), now);
      if (bucket.tokens - tentative.taken(key) < claim.amount()) {
        return i;
      }
    }
    if (take) {
      for (Claim claim : claims) {
        tentative.add(key(claim.subject(), claim.metric()), claim.rate(), claim.amount());
      }
    }
    return -1;
  }

  /**
   * Takes the tokens a committed batch decided on. Each subject's requests go through one writer,
   * so nothing else took from these buckets between the decision and this.
   */
  synchronized void apply(Tentative tentative, Instant now) {
    tentative.takes.forEach((key, take) -> {
      Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(take.rate(), now));
      bucket.refill(take.rate(), now);
      bucket.tokens -= take.amount();
    });
  }

  private static String key(String subject, String metric) {
    return subject + '\u0000' + metric;
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
