package io.quotient.engine;

import io.quotient.NotFoundException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.Item;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.status.MetricStatus;
import io.quotient.status.SubjectStatus;
import io.quotient.subject.LimitOverride;
import io.quotient.subject.Subject;
import io.quotient.window.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The reads that decide nothing durable: {@code check} and {@code status}. Both work on an
 * unlocked snapshot of one subject's counters and grants, so they never wait for a writer; holds of
 * reservations that expired but were not yet swept are left out, as a writer would return them.
 * Thread-safe.
 */
final class Reads {
  private final Jdbc jdbc;
  private final Clock clock;
  private final PlanCache plans;
  private final Decider decider;
  private final String defaultPlan;

  Reads(Jdbc jdbc, Clock clock, PlanCache plans, Decider decider, String defaultPlan) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.plans = plans;
    this.decider = decider;
    this.defaultPlan = defaultPlan;
  }

  /** What a consume would answer now, decided against a throwaway copy of the state. */
  ConsumeResult check(ConsumeRequest request) {
    return jdbc.read(
        c -> {
          Instant now = clock.instant();
          Subject subject = subjectOrDefault(c, request.subject(), now);
          if (subject == null) {
            return Ledger.unknownSubject(request, 0);
          }
          Plan plan = Overrides.apply(plans.require(c, subject.plan()), Overrides.of(c, subject.id()), now);
          BatchState state = snapshot(c, subject, plan, request.items().stream().map(Item::metric).toList(), now);
          Decider.Verdict verdict =
              decider.decide(plan, subject.billingAnchor(), request, now, state, Decider.Mode.CHECK);
          decider.abandonRateTokens(state, now); // a check takes none; ends the attempt all the same
          return new Decision(verdict.allowed(), verdict.reason(), 0, verdict.items(), false);
        });
  }

  /** The subject's plan and usage per metric now. */
  SubjectStatus status(String subjectId) {
    SubjectStatus status = statuses(List.of(subjectId)).get(subjectId);
    if (status == null) {
      throw new NotFoundException("subject", subjectId);
    }
    return status;
  }

  /**
   * The plan and usage of each of {@code subjectIds} now, in one snapshot and a statement per
   * table, whatever their number; the subjects that do not exist (and would not be created on a
   * default plan) are left out.
   */
  Map<String, SubjectStatus> statuses(Collection<String> subjectIds) {
    return jdbc.read(
        c -> {
          Instant now = clock.instant();
          Map<String, Subject> found = Subjects.find(c, subjectIds);
          Map<String, Subject> subjects = new LinkedHashMap<>();
          for (String id : subjectIds) {
            Subject subject = found.get(id);
            if (subject == null && defaultPlan != null) {
              subject = new Subject(id, defaultPlan, now, Map.of());
            }
            if (subject != null) {
              subjects.put(id, subject);
            }
          }
          Map<String, Map<String, LimitOverride>> overrides = Overrides.of(c, subjects.keySet());
          Map<String, Plan> byName = new HashMap<>(); // a plan read once however many subjects are on it
          Map<String, Plan> plans = new HashMap<>();
          TreeSet<CounterKey> keys = new TreeSet<>();
          for (Subject subject : subjects.values()) {
            Plan named = byName.get(subject.plan());
            if (named == null) {
              named = this.plans.require(c, subject.plan());
              byName.put(subject.plan(), named);
            }
            Plan plan = Overrides.apply(named, overrides.getOrDefault(subject.id(), Map.of()), now);
            plans.put(subject.id(), plan);
            keys.addAll(counterKeys(subject, plan, plan.limits().keySet(), now));
          }
          BatchState state = snapshot(c, subjects.keySet(), keys, now);
          Map<String, SubjectStatus> statuses = new LinkedHashMap<>();
          for (Subject subject : subjects.values()) {
            Map<String, LimitOverride> own = overrides.getOrDefault(subject.id(), Map.of());
            List<MetricStatus> metrics = new ArrayList<>();
            plans.get(subject.id()).limits()
                .forEach(
                    (metric, limit) -> {
                      Window window = Window.of(limit.period(), subject.billingAnchor(), now);
                      Counter counter = state.counter(new CounterKey(subject.id(), metric, window.start().toEpochMilli()));
                      metrics.add(
                          new MetricStatus(
                              metric, limit.limit(), limit.period(), limit.enforcement(), counter.used, counter.held,
                              counter.remaining(limit), Decider.bonusAvailable(state, counter, limit, now), counter.overage,
                              window.start(), window.end(), Overrides.sourceOf(metric, own, now)));
                    });
            statuses.put(subject.id(), new SubjectStatus(subject, metrics));
          }
          return statuses;
        });
  }

  /**
   * True when the subject's usage (held units included) of at least one limited metric in its
   * current window is at least {@code share} of the limit; a limit of 0 counts as reached.
   */
  boolean atShare(String subjectId, double share) {
    for (MetricStatus metric : status(subjectId).metrics()) {
      if (metric.limit() == null) {
        continue;
      }
      double taken = (double) metric.used() + metric.held();
      if (metric.limit() == 0 ? share <= 1.0 || taken > 0 : taken >= share * metric.limit()) {
        return true;
      }
    }
    return false;
  }

  /** The subject, or (unsaved) a new one on the default plan when there is one; null otherwise. */
  private Subject subjectOrDefault(Connection c, String id, Instant now) throws SQLException {
    Subject subject = Subjects.find(c, id);
    if (subject == null && defaultPlan != null) {
      return new Subject(id, defaultPlan, now, Map.of());
    }
    return subject;
  }

  /** Counters and grants of one subject, unlocked, with expired holds not yet swept taken out. */
  private static BatchState snapshot(Connection c, Subject subject, Plan plan, List<String> metrics, Instant now)
      throws SQLException {
    return snapshot(c, List.of(subject.id()), new TreeSet<>(counterKeys(subject, plan, metrics, now)), now);
  }

  /** The keys of the subject's counters of {@code metrics} in their current windows. */
  private static List<CounterKey> counterKeys(Subject subject, Plan plan, Collection<String> metrics, Instant now) {
    List<CounterKey> keys = new ArrayList<>();
    for (String metric : metrics) {
      Limit limit = plan.limitOf(metric);
      if (limit != null) {
        keys.add(new CounterKey(subject.id(), metric, Window.of(limit.period(), subject.billingAnchor(), now).start().toEpochMilli()));
      }
    }
    return keys;
  }

  /** Counters of {@code keys} and grants of {@code subjects}, unlocked, expired holds not yet swept taken out. */
  private static BatchState snapshot(Connection c, Collection<String> subjects, SortedSet<CounterKey> keys, Instant now)
      throws SQLException {
    BatchState state = new BatchState();
    Store.loadCounters(c, keys, state, false);
    for (Reservations.Row expired : Reservations.expiredOf(c, subjects, now)) {
      List<CounterKey> held = expired.counterKeys();
      for (int i = 0; i < held.size(); i++) {
        Counter counter = state.existingCounter(held.get(i));
        if (counter != null) {
          counter.unhold(expired.amounts().get(i));
        }
      }
    }
    Store.loadGrants(c, subjects, state, false);
    return state;
  }
}
