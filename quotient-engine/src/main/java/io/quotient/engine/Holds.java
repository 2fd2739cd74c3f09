package io.quotient.engine;

import io.quotient.decision.ItemDecision;
import io.quotient.event.EventType;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Settling reservations: expiry, commit and release. Each gives the held units back to the
 * counters they were taken from (locking any the caller has not locked yet), and commit counts
 * the actual amounts the way a consume would: plan allowance, then grants, then overage.
 */
final class Holds {
  private Holds() {}

  /**
   * Expires {@code reservation} if nobody settled it first: its holds return. Returns the event to
   * record, or null when it was already settled.
   */
  static Events.Row expire(Connection c, Reservations.Row reservation, BatchState state, Instant now, EventIds ids)
      throws SQLException {
    lockMissing(c, reservation, state);
    if (!Reservations.claim(c, reservation.id(), "expired")) {
      return null;
    }
    List<ItemDecision> items = unhold(reservation, state);
    return settledEvent(ids.next(c), now, EventType.EXPIRE, reservation, items, "expired");
  }

  /** Releases {@code reservation}; returns the event, or null when it was already settled. */
  static Events.Row release(Connection c, Reservations.Row reservation, BatchState state, Instant now, EventIds ids, String scope)
      throws SQLException {
    lockMissing(c, reservation, state);
    if (!Reservations.claim(c, reservation.id(), "released")) {
      return null;
    }
    List<ItemDecision> items = unhold(reservation, state);
    Events.Row row = settledEvent(ids.next(c), now, EventType.RELEASE, reservation, items, "released");
    return withScope(row, scope);
  }

  /**
   * Commits {@code reservation} with {@code actual} units per metric (each at most what was held);
   * returns the event, or null when it was already settled.
   */
  static Events.Row commit(
      Connection c, Reservations.Row reservation, Map<String, Long> actual, Plan plan, BatchState state, Instant now,
      EventIds ids, String scope) throws SQLException {
    lockMissing(c, reservation, state);
    Store.loadGrants(c, List.of(reservation.subject()), state, true);
    if (!Reservations.claim(c, reservation.id(), "committed")) {
      return null;
    }
    unhold(reservation, state);
    List<ItemDecision> items = new ArrayList<>();
    List<CounterKey> keys = reservation.counterKeys();
    for (int i = 0; i < keys.size(); i++) {
      CounterKey key = keys.get(i);
      Counter counter = state.counter(key);
      long amount = actual.getOrDefault(key.metric(), 0L);
      Limit limit = plan == null ? null : plan.limitOf(key.metric());
      long fromPlan = amount;
      long fromBonus = 0;
      long overage = 0;
      if (limit != null && !limit.isUnlimited()) {
        fromPlan = Math.min(amount, Math.max(0, limit.limit() - counter.planUsed() - counter.held));
        long rest = amount - fromPlan;
        fromBonus = Math.min(rest, state.bonusRemaining(key.subject(), key.metric(), now));
        overage = rest - fromBonus;
      }
      counter.add(fromPlan, fromBonus, overage);
      Decider.takeBonus(state.grants(key.subject(), key.metric()), fromBonus, now);
      Long cap = limit == null ? null : limit.limit();
      items.add(
          new ItemDecision(
              key.metric(),
              amount,
              cap,
              counter.used,
              counter.held,
              cap == null ? null : Math.max(0, cap - counter.planUsed() - counter.held),
              state.bonusRemaining(key.subject(), key.metric(), now),
              Instant.ofEpochMilli(key.windowStart()),
              null,
              fromPlan,
              fromBonus,
              overage,
              null));
    }
    Events.Row row = settledEvent(ids.next(c), now, EventType.COMMIT, reservation, items, "committed");
    return withScope(row, scope);
  }

  private static void lockMissing(Connection c, Reservations.Row reservation, BatchState state) throws SQLException {
    TreeSet<CounterKey> missing = new TreeSet<>();
    for (CounterKey key : reservation.counterKeys()) {
      if (state.existingCounter(key) == null) {
        missing.add(key);
      }
    }
    Store.loadCounters(c, missing, state, true);
  }

  private static List<ItemDecision> unhold(Reservations.Row reservation, BatchState state) {
    List<ItemDecision> items = new ArrayList<>();
    List<CounterKey> keys = reservation.counterKeys();
    for (int i = 0; i < keys.size(); i++) {
      Counter counter = state.counter(keys.get(i));
      long amount = reservation.amounts().get(i);
      counter.unhold(amount);
      items.add(
          new ItemDecision(
              keys.get(i).metric(), amount, null, counter.used, counter.held, null, 0,
              Instant.ofEpochMilli(keys.get(i).windowStart()), null, 0, 0, 0, null));
    }
    return items;
  }

  private static Events.Row settledEvent(
      long id, Instant now, EventType type, Reservations.Row reservation, List<ItemDecision> items, String state) {
    return new Events.Row(
        id, now, type, reservation.subject(), null, null, "", null, reservation.eventId(), reservation.id(),
        Events.items(items), null, Json.object(Map.of("state", state)));
  }

  private static Events.Row withScope(Events.Row row, String scope) {
    return new Events.Row(
        row.id(), row.at(), row.type(), row.subject(), row.allowed(), row.reason(), scope, row.idempotencyKey(),
        row.relatedEventId(), row.reservationId(), row.items(), row.metadata(), row.detail());
  }
}
