package io.quotient.engine;

import io.quotient.ConflictException;
import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.decision.ItemDecision;
import io.quotient.event.Event;
import io.quotient.event.EventType;
import io.quotient.grant.Grant;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.subject.Subject;
import io.quotient.transfer.TransferRequest;
import io.quotient.transfer.TransferResult;
import io.quotient.window.Window;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Transfers: units leave {@code from}'s window (allowance first, then grants, never overage) and
 * arrive on {@code to} as a grant expiring when that window ends, in one transaction.
 *
 * <p>Locks, in this order: both subject rows (by id, so A→B and B→A never wait on each other), then
 * {@code from}'s counter, then its grants — the write path's counter-then-grant order, so a transfer
 * queues behind batches instead of deadlocking with them. Holding {@code from}'s subject row also
 * serialises the transfers of one subject across engines, so a retry with the same key always finds
 * the first one's stored key and replays it.
 */
final class Transfers {
  private Transfers() {}

  static TransferResult transfer(
      Connection c, TransferRequest request, String actor, PlanCache plans, String defaultPlan, Instant now, EventIds ids)
      throws SQLException {
    List<Events.Row> events = new ArrayList<>();
    Subject to = Subjects.find(c, request.to());
    if (to == null && defaultPlan != null) {
      for (String created : Store.createSubjects(c, List.of(request.to()), defaultPlan, now)) {
        events.add(Subjects.createdEvent(ids.next(c), now, created, defaultPlan, actor));
      }
    }
    lockSubjects(c, request.from(), request.to());
    Subject from = Subjects.find(c, request.from());
    if (from == null) {
      throw new NotFoundException("subject", request.from());
    }
    to = Subjects.find(c, request.to());
    if (to == null) {
      throw new NotFoundException("subject", request.to());
    }

    Idempotency.Ref ref = request.idempotencyKey() == null ? null : new Idempotency.Ref(request.from(), request.idempotencyKey());
    String fingerprint = Fingerprint.ofTransfer(request.to(), request.metric(), request.amount());
    if (ref != null) {
      Idempotency.Stored stored = Idempotency.find(c, List.of(ref)).get(ref);
      if (stored != null) {
        return stored.fingerprint().equals(fingerprint)
            ? replay(c, stored.eventId())
            : new TransferResult.KeyMismatch(request.idempotencyKey());
      }
    }

    Plan fromPlan = Overrides.apply(plans.require(c, from.plan()), Overrides.of(c, from.id()), now);
    Limit limit = fromPlan.limitOf(request.metric());
    if (limit == null) {
      throw new InvalidArgumentException("metric", "'" + request.metric() + "' is not in plan '" + from.plan() + "' of '" + from.id() + "'");
    }
    if (plans.require(c, to.plan()).limitOf(request.metric()) == null) {
      throw new InvalidArgumentException("metric", "'" + request.metric() + "' is not in plan '" + to.plan() + "' of '" + to.id() + "'");
    }
    Window window = Window.of(limit.period(), from.billingAnchor(), now);
    CounterKey key = new CounterKey(from.id(), request.metric(), window.start().toEpochMilli());
    BatchState state = new BatchState();
    TreeSet<CounterKey> keys = new TreeSet<>();
    keys.add(key);
    Store.loadCounters(c, keys, state, true);
    Store.loadGrants(c, List.of(from.id()), state, true);
    Counter counter = state.counter(key);
    long bonus = Decider.bonusAvailable(state, counter, limit, now);
    Allocation split = Allocation.of(request.amount(), limit, counter, bonus);
    if (split.overage() > 0 || Decider.wouldOverflow(counter, request.amount())) {
      Long remaining = counter.remaining(limit);
      throw new ConflictException(ConflictException.Kind.INSUFFICIENT_UNITS,
          "'" + from.id() + "' has " + (remaining == null ? "unlimited" : remaining) + " unit(s) of '" + request.metric()
              + "' left in its window and " + bonus + " in grants; the transfer moves " + request.amount());
    }
    counter.add(split.fromPlan(), split.fromBonus(), 0);
    Decider.takeBonus(state.grants(from.id(), request.metric()), split.fromBonus(), now);
    Store.writeCounters(c, state.counters());
    Store.writeGrants(c, state.allGrants());

    Instant expiresAt = window.end();
    Grant grant = Grants.insert(c, new GrantRequest(to.id(), request.metric(), request.amount(), expiresAt,
        "transfer from " + from.id()), now);
    long outId = ids.next(c);
    long inId = ids.next(c);
    // The giving side records its window after the transfer; the receiving side the units it got.
    List<ItemDecision> outItems = List.of(ItemDecision.of(request.metric(), request.amount())
        .limit(limit.limit(), counter.remaining(limit))
        .usage(counter.used, counter.held)
        .window(window.start(), window.end())
        .split(split.fromPlan(), split.fromBonus(), 0)
        .build());
    List<ItemDecision> inItems = List.of(ItemDecision.of(request.metric(), request.amount()).build());
    events.add(Events.row(outId, now, EventType.TRANSFER).subject(from.id()).actor(actor)
        .idempotencyKey(request.idempotencyKey()).relatedTo(inId).items(outItems)
        .detail(detail("out", to.id(), grant.id(), expiresAt, split)).build());
    events.add(Events.row(inId, now, EventType.TRANSFER).subject(to.id()).actor(actor).relatedTo(outId).items(inItems)
        .detail(detail("in", from.id(), grant.id(), expiresAt, split)).build());
    Events.insert(c, events);
    if (ref != null) {
      Idempotency.insert(c, List.of(new Idempotency.Row(ref, fingerprint, outId)), now);
    }
    SubjectCache.announce(c, to.id());
    return new TransferResult.Transferred(outId, inId, from.id(), to.id(), request.metric(), request.amount(),
        split.fromPlan(), split.fromBonus(), grant.id(), expiresAt, false);
  }

  private static void lockSubjects(Connection c, String a, String b) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM subjects WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
      ps.setArray(1, Store.texts(c, List.of(a, b)));
      ps.executeQuery().close();
    }
  }

  private static String detail(String direction, String counterpart, long grantId, Instant expiresAt, Allocation split) {
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("direction", direction);
    detail.put(direction.equals("out") ? "to" : "from", counterpart);
    detail.put("grantId", Long.toString(grantId));
    if (expiresAt != null) {
      detail.put("expiresAt", expiresAt.toString());
    }
    detail.put("fromPlan", Long.toString(split.fromPlan()));
    detail.put("fromBonus", Long.toString(split.fromBonus()));
    return Json.object(detail);
  }

  private static TransferResult replay(Connection c, long outId) throws SQLException {
    Event out = Events.byIds(c, List.of(outId)).get(outId);
    if (out == null) {
      throw new IllegalStateException("idempotency key names transfer event " + outId + ", which does not exist");
    }
    Map<String, String> d = out.detail();
    String expires = d.get("expiresAt");
    return new TransferResult.Transferred(out.id(), out.relatedEventId(), out.subject(), d.get("to"),
        out.items().getFirst().metric(), out.items().getFirst().amount(), Long.parseLong(d.get("fromPlan")),
        Long.parseLong(d.get("fromBonus")), Long.parseLong(d.get("grantId")), expires == null ? null : Instant.parse(expires),
        true);
  }
}
