package io.quotient.engine;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.DenialReason;
import io.quotient.decision.Item;
import io.quotient.decision.ItemDecision;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.rate.BurstLimiter;
import io.quotient.window.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision rules of DESIGN.md §2, in memory and without I/O: plan allowance first, then bonus
 * grants (earliest expiry first), then overage for soft limits; every item or none; held units
 * count as used. Stateless apart from the rate limiter; the state it reads and changes is the
 * {@link BatchState} it is handed.
 */
final class Decider {
  /** What the decision does to the state when granted. */
  enum Mode {
    /** Counts the units. */
    CONSUME,
    /** Holds the units. */
    RESERVE,
    /** Changes nothing that outlives the state handed in (and takes no rate tokens). */
    CHECK
  }

  /**
   * The outcome of one request.
   *
   * @param reason null when granted
   * @param items per item, with the state after
   * @param windows per item, the window it counted in (null for a metric not in the plan)
   */
  record Verdict(DenialReason reason, List<ItemDecision> items, List<CounterKey> windows) {
    boolean allowed() {
      return reason == null;
    }
  }

  private final BurstLimiter rates;

  Decider(BurstLimiter rates) {
    this.rates = rates;
  }

  Verdict decide(Plan plan, Instant anchor, ConsumeRequest request, Instant now, BatchState state, Mode mode) {
    List<Item> items = request.items();
    int size = items.size();
    DenialReason[] reasons = new DenialReason[size];
    Allocation[] allocations = new Allocation[size];
    Limit[] limits = new Limit[size];
    Window[] windows = new Window[size];
    CounterKey[] keys = new CounterKey[size];
    DenialReason reason = null;
    List<BurstLimiter.Claim> claims = null;
    List<Integer> claimed = null;

    for (int i = 0; i < size; i++) {
      Item item = items.get(i);
      Limit limit = plan.limitOf(item.metric());
      if (limit == null) {
        reasons[i] = DenialReason.METRIC_NOT_IN_PLAN;
        reason = reason == null ? reasons[i] : reason;
        continue;
      }
      limits[i] = limit;
      windows[i] = Window.of(limit.period(), anchor, now);
      keys[i] = new CounterKey(request.subject(), item.metric(), windows[i].start().toEpochMilli());
      Counter counter = state.counter(keys[i]);
      long amount = item.amount();
      if (wouldOverflow(counter, amount)) {
        // Checked before anything is taken or changed: this request alone is refused.
        reasons[i] = DenialReason.COUNTER_OVERFLOW;
        reason = reason == null ? reasons[i] : reason;
        continue;
      }
      allocations[i] = Allocation.of(amount, limit, counter, bonusAvailable(state, counter, limit, now));
      if (allocations[i].breaks(limit)) {
        reasons[i] = DenialReason.QUOTA_EXCEEDED;
        reason = reason == null ? reasons[i] : reason;
      }
      if (limit.rate() != null) {
        if (claims == null) {
          claims = new ArrayList<>(2);
          claimed = new ArrayList<>(2);
        }
        claims.add(new BurstLimiter.Claim(request.subject(), item.metric(), limit.rate(), amount));
        claimed.add(i);
      }
    }

    if (reason == null && claims != null) {
      if (state.rateTokens == null) {
        state.rateTokens = rates.begin();
      }
      int limited = state.rateTokens.acquire(claims, now, mode != Mode.CHECK);
      if (limited >= 0) {
        reason = DenialReason.RATE_LIMITED;
        reasons[claimed.get(limited)] = reason;
      }
    }

    if (reason == null) {
      // A check applies too, to its throwaway state, so that it answers exactly what a consume would.
      for (int i = 0; i < size; i++) {
        Counter counter = state.counter(keys[i]);
        if (mode == Mode.RESERVE) {
          counter.hold(items.get(i).amount());
        } else {
          counter.add(allocations[i]);
          takeBonus(state.grants(request.subject(), items.get(i).metric()), allocations[i].fromBonus(), now);
        }
      }
    }

    List<ItemDecision> decisions = new ArrayList<>(size);
    List<CounterKey> windowKeys = new ArrayList<>(size);
    boolean granted = reason == null;
    for (int i = 0; i < size; i++) {
      Item item = items.get(i);
      windowKeys.add(keys[i]);
      if (limits[i] == null) {
        decisions.add(ItemDecision.unmetered(item.metric(), item.amount(), reasons[i]));
        continue;
      }
      Allocation taken = granted ? allocations[i] : Allocation.NONE;
      decisions.add(
          after(item.metric(), item.amount(), limits[i], state.counter(keys[i]), windows[i].end(), state, now)
              .split(taken.fromPlan(), taken.fromBonus(), taken.overage())
              .reason(reasons[i])
              .build());
    }
    return new Verdict(reason, decisions, windowKeys);
  }

  /**
   * An item's decision with its metric's state after it: the limit and what remains of it, usage,
   * bonus, and the window ({@code resetsAt} null for {@code total}, or when the caller does not
   * know it).
   */
  static ItemDecision.Builder after(
      String metric, long amount, Limit limit, Counter counter, Instant resetsAt, BatchState state, Instant now) {
    return ItemDecision.of(metric, amount)
        .limit(limit == null ? null : limit.limit(), limit == null ? null : counter.remaining(limit))
        .usage(counter.used, counter.held)
        .bonusRemaining(limit == null
            ? state.bonusRemaining(counter.key.subject(), counter.key.metric(), now)
            : bonusAvailable(state, counter, limit, now))
        .window(Instant.ofEpochMilli(counter.key.windowStart()), resetsAt);
  }

  /**
   * Tells the burst limiter, before a batch is decided, which tokens its requests will claim if
   * otherwise granted ({@code requests} in decision order; null entries claim nothing).
   */
  void prefetchRateTokens(BatchState state, List<Plan> plans, List<ConsumeRequest> requests, Instant now) {
    List<List<BurstLimiter.Claim>> all = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      ConsumeRequest request = requests.get(i);
      Plan plan = plans.get(i);
      if (request == null || plan == null) {
        continue;
      }
      List<BurstLimiter.Claim> claims = new ArrayList<>(1);
      for (Item item : request.items()) {
        Limit limit = plan.limitOf(item.metric());
        if (limit != null && limit.rate() != null) {
          claims.add(new BurstLimiter.Claim(request.subject(), item.metric(), limit.rate(), item.amount()));
        }
      }
      if (!claims.isEmpty()) {
        all.add(claims);
      }
    }
    if (all.isEmpty()) {
      return;
    }
    if (state.rateTokens == null) {
      state.rateTokens = rates.begin();
    }
    state.rateTokens.prefetch(all, now);
  }

  /** Takes the burst-rate tokens {@code state}'s decisions took, once its batch has committed. */
  void commitRateTokens(BatchState state, Instant now) {
    if (state.rateTokens != null) {
      state.rateTokens.commit(now);
      state.rateTokens = null;
    }
  }

  /** Gives up the burst-rate tokens of {@code state}, whose batch did not commit (or was a check). */
  void abandonRateTokens(BatchState state, Instant now) {
    if (state.rateTokens != null) {
      state.rateTokens.abandon(now);
      state.rateTokens = null;
    }
  }

  /**
   * True when granting {@code amount} would take the counter past {@code Long.MAX_VALUE}. The
   * invariant kept is {@code used + held <= Long.MAX_VALUE}: a consume adds to {@code used} (and
   * its parts {@code from_bonus} and {@code overage}, never more than {@code used}), a hold to
   * {@code held}, and committing a hold moves units from one to the other; so this one check
   * covers every sum the decision and the settlements of its holds compute.
   */
  static boolean wouldOverflow(Counter counter, long amount) {
    try {
      Math.addExact(Math.addExact(counter.used, counter.held), amount);
      return false;
    } catch (ArithmeticException e) {
      return true;
    }
  }

  /**
   * Bonus units others may take: the active grants, less what open reservations hold beyond the
   * plan's allowance (a hold is backed by the allowance first, then by grants).
   */
  static long bonusAvailable(BatchState state, Counter counter, Limit limit, Instant now) {
    long bonus = state.bonusRemaining(counter.key.subject(), counter.key.metric(), now);
    if (limit.isUnlimited()) {
      return bonus;
    }
    long heldBeyondPlan = Math.max(0, counter.planUsed() + counter.held - limit.limit());
    return Math.max(0, bonus - heldBeyondPlan);
  }

  /** Takes {@code amount} bonus units from the grants in use order. */
  static void takeBonus(List<BonusGrant> grants, long amount, Instant now) {
    long left = amount;
    for (BonusGrant grant : grants) {
      if (left == 0) {
        return;
      }
      if (grant.isActiveAt(now)) {
        long take = Math.min(left, grant.remaining());
        grant.used += take;
        grant.dirty = true;
        left -= take;
      }
    }
    if (left > 0) {
      throw new IllegalStateException("decided " + amount + " bonus units but the grants hold fewer");
    }
  }
}
