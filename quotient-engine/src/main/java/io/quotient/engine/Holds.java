package io.quotient.engine;

import io.quotient.decision.ItemDecision;
import io.quotient.event.EventType;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.reservation.ReservationState;
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
    if (!Reservations.claim(c, reservation.id(), ReservationState.EXPIRED)) {
      return null;
    }
    List<ItemDecision> items = unhold(reservation, state);
    return settledEvent(ids.next(c), now, EventType.EXPIRE, reservation, items, ReservationState.EXPIRED, "");
  }

  /** Releases {@code reservation}; returns the event, or null when it was already settled. */
  static Events.Row release(Connection c, Reservations.Row reservation, BatchState state, Instant now, EventIds ids, String scope)
      throws SQLException {
    lockMissing(c, reservation, state);
    if (!Reservations.claim(c, reservation.id(), ReservationState.RELEASED)) {
      return null;
    }
    List<ItemDecision> items = unhold(reservation, state);
    return settledEvent(ids.next(c), now, EventType.RELEASE, reservation, items, ReservationState.RELEASED, scope);
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
    if (!Reservations.claim(c, reservation.id(), ReservationState.COMMITTED)) {
      return null;
    }
    unhold(reservation, state);
    List<ItemDecision> items = new ArrayList<>();
    for (CounterKey key : reservation.counterKeys()) {
      Counter counter = state.counter(key);
      long amount = actual.getOrDefault(key.metric(), 0L);
      Limit limit = plan == null ? null : plan.limitOf(key.metric());
      // Counted like a consume (the units were granted when held): plan, then bonus, then overage.
      Allocation allocation = Allocation.of(
          amount, limit, counter, limit == null ? 0 : Decider.bonusAvailable(state, counter, limit, now));
      counter.add(allocation);
      Decider.takeBonus(state.grants(key.subject(), key.metric()), allocation.fromBonus(), now);
      items.add(Decider.after(key.metric(), amount, limit, counter, null, state, now)
          .split(allocation.fromPlan(), allocation.fromBonus(), allocation.overage())
          .build());
    }
    return settledEvent(ids.next(c), now, EventType.COMMIT, reservation, items, ReservationState.COMMITTED, scope);
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
      items.add(ItemDecision.of(keys.get(i).metric(), amount)
          .usage(counter.used, counter.held)
          .window(Instant.ofEpochMilli(keys.get(i).windowStart()), null)
          .build());
    }
    return items;
  }

  private static Events.Row settledEvent(
      long id, Instant now, EventType type, Reservations.Row reservation, List<ItemDecision> items,
      ReservationState state, String actor) {
    return Events.row(id, now, type)
        .subject(reservation.subject())
        .actor(actor)
        .relatedTo(reservation.eventId())
        .reservation(reservation.id())
        .items(items)
        .detail(Json.object(Map.of("state", state.wireName())))
        .build();
  }
}
