package io.quotient.rate;

import io.quotient.plan.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Burst rate limits as token buckets kept in this process's memory. An attempt holds the tokens it
 * takes tentatively (later requests of its batch see them) and applies them to the buckets only when
 * its batch commits, so a batch that rolls back and runs again never takes them twice. That is
 * exact because each subject's requests go through one writer of one engine: nothing else takes
 * from a subject's buckets between an attempt's decision and its commit. With several engine
 * instances each enforces the rate on its own share of the traffic (DESIGN.md allows burst limits
 * to be approximate). Thread-safe.
 */
final class LocalBurstLimiter implements BurstLimiter {
  private static final int MAX_BUCKETS = 100_000;

  private final Map<String, Bucket> buckets = new HashMap<>();

  @Override
  public Attempt begin() {
    return new Tentative();
  }

  /**
   * Tokens one batch attempt has taken, not yet applied to the buckets. Confined to the writer
   * thread.
   */
  private final class Tentative implements Attempt {
    private final Map<String, Take> takes = new HashMap<>();

    private record Take(Rate rate, long amount) {}

    long taken(String key) {
      Take take = takes.get(key);
      return take == null ? 0 : take.amount();
    }

    @Override
    public int acquire(List<Claim> claims, Instant now, boolean take) {
      int limited = LocalBurstLimiter.this.acquire(claims, now, this);
      if (limited < 0 && take) {
        for (Claim claim : claims) {
          takes.merge(
              key(claim.subject(), claim.metric()),
              new Take(claim.rate(), claim.amount()),
              (a, b) -> new Take(b.rate(), a.amount() + b.amount()));
        }
      }
      return limited;
    }

    @Override
    public void commit(Instant now) {
      apply(this, now);
      takes.clear();
    }

    @Override
    public void abandon(Instant now) {
      takes.clear();
    }
  }

  private synchronized int acquire(List<Claim> claims, Instant now, Tentative tentative) {
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
    return -1;
  }

  private synchronized void apply(Tentative tentative, Instant now) {
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
