package io.quotient.rate;

import io.quotient.plan.Rate;
import java.time.Instant;
import java.util.List;

/**
 * Where the engine takes burst-rate tokens: one token bucket per subject and metric, refilled at the
 * plan's {@link Rate#perSecond()} up to its {@link Rate#burst()}.
 *
 * <p>The engine decides requests in batches, and a batch attempt may roll back and run again, so
 * tokens are taken through an {@link Attempt}: the engine {@linkplain #begin() begins} one per batch
 * attempt, {@linkplain Attempt#acquire acquires} the claims of each request that is otherwise
 * granted, in the order the requests are decided, and then either {@linkplain Attempt#commit commits}
 * it (the batch committed) or {@linkplain Attempt#abandon abandons} it (the batch did not: its
 * tokens must not count). An implementation may take tokens at once and give them back on
 * abandon (a shared store, where other instances take from the same buckets meanwhile), or hold them
 * tentatively and take them on commit (one process, where each subject's requests go through one
 * writer).
 *
 * <p>Implementations are thread-safe; an {@link Attempt} is used by one thread.
 */
public interface BurstLimiter {
  /** Starts one batch attempt's use of the buckets. */
  Attempt begin();

  /** The default: buckets in this process's memory, each instance enforcing rates on its own traffic. */
  static BurstLimiter inProcess() {
    return new LocalBurstLimiter();
  }

  /**
   * One rate-limited item of a request: the bucket of {@code subject} and {@code metric}, its rate,
   * and the tokens the item needs.
   */
  record Claim(String subject, String metric, Rate rate, long amount) {
    public Claim {
      java.util.Objects.requireNonNull(subject, "subject");
      java.util.Objects.requireNonNull(metric, "metric");
      java.util.Objects.requireNonNull(rate, "rate");
      if (amount <= 0) {
        throw new IllegalArgumentException("amount must be greater than 0: " + amount);
      }
    }
  }

  /** The tokens of one batch attempt. Used by one thread; ended by exactly one of commit or abandon. */
  interface Attempt {
    /**
     * Decides whether every claim (all of one request) has its tokens, counting those this attempt
     * already took. Returns the index of the first claim without enough tokens, or -1 when all have
     * them; then, when {@code take}, takes them for every claim (all or none). With {@code take}
     * false nothing is taken (a check).
     */
    int acquire(List<Claim> claims, Instant now, boolean take);

    /**
     * A hint, before the batch is decided: the claims of the requests it will decide, in the order
     * it will decide them, each as if it were otherwise granted (some will not be, and will never
     * {@link #acquire}). An implementation whose every acquire is a round trip may start taking
     * them ahead, together; it must still answer each {@link #acquire} as if the requests that do
     * acquire had been decided alone, in order, and give back on commit or abandon what it took
     * for requests that never acquired. The default does nothing.
     */
    default void prefetch(List<List<Claim>> requests, Instant now) {}

    /** The batch committed: the tokens taken count. */
    void commit(Instant now);

    /** The batch did not commit: the tokens taken must not count. */
    void abandon(Instant now);
  }
}
