package io.quotient.engine;

import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.decision.ItemDecision;
import io.quotient.event.EventType;
import io.quotient.plan.Plan;
import io.quotient.subject.Subject;
import io.quotient.window.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An operator's reset of a subject's current windows: usage starts again from zero, open holds
 * stay (they are still backed by the reservations that hold them). The counters are locked in the
 * write path's order, so a reset queues behind batches instead of racing them.
 */
final class Resets {
  private Resets() {}

  /** Resets one metric's window, or every metric of the plan when {@code metric} is null; returns the event id. */
  static long reset(
      Connection c, String subjectId, String metric, String actor, PlanCache plans, Instant now, EventIds ids)
      throws SQLException {
    Subject subject = Subjects.find(c, subjectId);
    if (subject == null) {
      throw new NotFoundException("subject", subjectId);
    }
    Plan plan = plans.require(c, subject.plan());
    if (metric != null && plan.limitOf(metric) == null) {
      throw new InvalidArgumentException("metric", "'" + metric + "' is not in plan '" + plan.name() + "'");
    }
    TreeSet<CounterKey> keys = new TreeSet<>();
    plan.limits()
        .forEach(
            (name, limit) -> {
              if (metric == null || metric.equals(name)) {
                long start = Window.of(limit.period(), subject.billingAnchor(), now).start().toEpochMilli();
                keys.add(new CounterKey(subjectId, name, start));
              }
            });
    BatchState state = new BatchState();
    Store.loadCounters(c, keys, state, true);
    List<ItemDecision> items = new ArrayList<>();
    for (CounterKey key : keys) {
      Counter counter = state.counter(key);
      // The event records what the window held before the reset.
      items.add(ItemDecision.of(key.metric(), counter.used)
          .usage(0, counter.held)
          .window(Instant.ofEpochMilli(key.windowStart()), null)
          .build());
      counter.used = 0;
      counter.fromBonus = 0;
      counter.overage = 0;
      counter.dirty = true;
    }
    Store.writeCounters(c, state.counters());
    long eventId = ids.next(c);
    Events.insert(
        c,
        List.of(
            Events.row(eventId, now, EventType.RESET)
                .subject(subjectId)
                .actor(actor)
                .items(items)
                .detail(Json.object(Map.of("metric", metric == null ? "*" : metric)))
                .build()));
    return eventId;
  }
}
