package io.quotient.engine;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReservationState;
import io.quotient.subject.Subject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Moving reservations out of {@code held}: commit, release, and the expiry of those whose time ran
 * out, each as one transaction that locks the counters in the write path's order ({@link Holds}
 * does the counting). Exactly one settler wins a reservation: the others find it closed.
 * Thread-safe.
 */
final class Settlements {
  private static final int SWEEP_BATCH = 500;

  private final Jdbc jdbc;
  private final Clock clock;
  private final PlanCache plans;
  private final EventIds ids;

  Settlements(Jdbc jdbc, Clock clock, PlanCache plans, EventIds ids) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.plans = plans;
    this.ids = ids;
  }

  /** Commits {@code actual} units per metric (empty: everything held); the rest returns. */
  ReservationResult commit(String reservationId, Map<String, Long> actual, String actor) {
    return settle(reservationId, actual, true, actor);
  }

  /** Releases everything the reservation holds. */
  ReservationResult release(String reservationId, String actor) {
    return settle(reservationId, Map.of(), false, actor);
  }

  private ReservationResult settle(String reservationId, Map<String, Long> actual, boolean commit, String actor) {
    Names.requireId(reservationId, "reservationId");
    return jdbc.inTransaction(
        c -> {
          Instant now = clock.instant();
          Reservations.Row reservation = Reservations.find(c, reservationId);
          if (reservation == null) {
            throw new NotFoundException("reservation", reservationId);
          }
          if (reservation.state() != ReservationState.HELD) {
            return new ReservationResult.Closed(reservationId, reservation.state());
          }
          Map<String, Long> amounts = commit ? commitAmounts(reservation, actual) : Map.of();
          BatchState state = new BatchState();
          if (!reservation.expiresAt().isAfter(now)) {
            Events.Row expired = Holds.expire(c, reservation, state, now, ids);
            Store.writeCounters(c, state.counters());
            Events.insert(c, expired == null ? List.of() : List.of(expired));
            return new ReservationResult.Closed(reservationId, ReservationState.EXPIRED);
          }
          Events.Row event;
          if (commit) {
            Subject subject = Subjects.find(c, reservation.subject());
            Plan plan = subject == null ? null
                : Overrides.apply(plans.latest(c, subject.plan()), Overrides.of(c, subject.id()), now);
            if (plan != null) {
              // Units in flight all return at commit: a concurrent metric is never counted as usage.
              amounts.replaceAll((metric, amount) -> {
                Limit limit = plan.limitOf(metric);
                return limit != null && limit.isConcurrent() ? 0L : amount;
              });
            }
            event = Holds.commit(c, reservation, amounts, plan, state, now, ids, actor);
          } else {
            event = Holds.release(c, reservation, state, now, ids, actor);
          }
          if (event == null) {
            return new ReservationResult.Closed(reservationId, Reservations.find(c, reservationId).state());
          }
          Store.writeCounters(c, state.counters());
          Store.writeGrants(c, state.allGrants());
          Events.insert(c, List.of(event));
          List<ReservationResult.Settled> settled = new ArrayList<>();
          for (int i = 0; i < reservation.metrics().size(); i++) {
            String metric = reservation.metrics().get(i);
            settled.add(new ReservationResult.Settled(metric, reservation.amounts().get(i), amounts.getOrDefault(metric, 0L)));
          }
          return commit
              ? new ReservationResult.Committed(reservationId, event.id(), settled)
              : new ReservationResult.Released(reservationId, event.id(), settled);
        });
  }

  /** The amount to commit per held metric: {@code actual}'s, 0 for one left out, all held when empty. */
  private static Map<String, Long> commitAmounts(Reservations.Row reservation, Map<String, Long> actual) {
    Map<String, Long> amounts = new LinkedHashMap<>();
    for (int i = 0; i < reservation.metrics().size(); i++) {
      String metric = reservation.metrics().get(i);
      long held = reservation.amounts().get(i);
      amounts.put(metric, actual.isEmpty() ? held : 0L);
    }
    for (Map.Entry<String, Long> entry : actual.entrySet()) {
      String field = "amounts." + entry.getKey();
      InvalidArgumentException.require(amounts.containsKey(entry.getKey()), field, "was not reserved");
      Long amount = entry.getValue();
      InvalidArgumentException.require(amount != null && amount >= 0, field, "must be 0 or more");
      long held = reservation.amounts().get(reservation.metrics().indexOf(entry.getKey()));
      InvalidArgumentException.require(amount <= held, field, "must be at most the " + held + " held, was " + amount);
      amounts.put(entry.getKey(), amount);
    }
    return amounts;
  }

  /** Returns the holds of every reservation that expired by now, a bounded number per transaction; returns how many. */
  int expireDue() {
    int total = 0;
    while (true) {
      int expired =
          jdbc.inTransaction(
              c -> {
                Instant now = clock.instant();
                List<Reservations.Row> due = Reservations.expired(c, now, SWEEP_BATCH);
                TreeSet<CounterKey> keys = new TreeSet<>();
                due.forEach(reservation -> keys.addAll(reservation.counterKeys()));
                BatchState state = new BatchState();
                Store.loadCounters(c, keys, state, true);
                List<Events.Row> events = new ArrayList<>();
                for (Reservations.Row reservation : due) {
                  Events.Row event = Holds.expire(c, reservation, state, now, ids);
                  if (event != null) {
                    events.add(event);
                  }
                }
                Store.writeCounters(c, state.counters());
                Events.insert(c, events);
                return due.size();
              });
      total += expired;
      if (expired < SWEEP_BATCH) {
        return total;
      }
    }
  }
}
