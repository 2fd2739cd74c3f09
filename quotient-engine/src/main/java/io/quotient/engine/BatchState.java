package io.quotient.engine;

import io.quotient.rate.BurstLimiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters and grants one batch (or one check) decides against. Rows come from the database,
 * locked for a batch and unlocked for a check; counters a batch needs but the database does not
 * have start empty. Confined to one thread.
 */
final class BatchState {
  private final Map<CounterKey, Counter> counters = new HashMap<>();
  private final Map<String, Map<String, List<BonusGrant>>> grants = new HashMap<>();
  /**
   * The burst-rate attempt of this state's decisions, begun by the first request that claims tokens
   * (null until then): committed only if the batch commits, else abandoned.
   */
  BurstLimiter.Attempt rateTokens;

  void putCounter(Counter counter) {
    counters.put(counter.key, counter);
  }

  /** The counter for {@code key}, created empty when absent. */
  Counter counter(CounterKey key) {
    return counters.computeIfAbsent(key, Counter::empty);
  }

  Counter existingCounter(CounterKey key) {
    return counters.get(key);
  }

  Iterable<Counter> counters() {
    return counters.values();
  }

  void putGrant(BonusGrant grant) {
    grants.computeIfAbsent(grant.subject, s -> new HashMap<>()).computeIfAbsent(grant.metric, m -> new ArrayList<>()).add(grant);
  }

  /** Sorts each subject's grants into the order they are used in; call once after loading. */
  void sortGrants() {
    grants.values().forEach(byMetric -> byMetric.values().forEach(list -> list.sort(BonusGrant::byUseOrder)));
  }

  /** The subject's grants of {@code metric} in use order (possibly expired or used up). */
  List<BonusGrant> grants(String subject, String metric) {
    Map<String, List<BonusGrant>> byMetric = grants.get(subject);
    if (byMetric == null) {
      return List.of();
    }
    return byMetric.getOrDefault(metric, List.of());
  }

  List<BonusGrant> allGrants() {
    List<BonusGrant> all = new ArrayList<>();
    grants.values().forEach(byMetric -> byMetric.values().forEach(all::addAll));
    return all;
  }

  /**
   * Bonus units left for {@code subject}'s {@code metric} at {@code now}, at most
   * {@code Long.MAX_VALUE}: grants may add up to more than a long holds, and no request can take
   * that many, so the sum saturates instead of failing every request of the subject.
   */
  long bonusRemaining(String subject, String metric, Instant now) {
    long total = 0;
    for (BonusGrant grant : grants(subject, metric)) {
      if (grant.isActiveAt(now)) {
        long remaining = grant.remaining();
        total = total > Long.MAX_VALUE - remaining ? Long.MAX_VALUE : total + remaining;
      }
    }
    return total;
  }
}
