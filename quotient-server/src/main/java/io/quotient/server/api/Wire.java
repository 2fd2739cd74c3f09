package io.quotient.server.api;

import io.quotient.api.Decision;
import io.quotient.api.Event;
import io.quotient.api.EventPage;
import io.quotient.api.Grant;
import io.quotient.api.IssuedKey;
import io.quotient.api.Key;
import io.quotient.api.Plan;
import io.quotient.api.Refund;
import io.quotient.api.Reservation;
import io.quotient.api.Settlement;
import io.quotient.api.Subject;
import io.quotient.subject.LimitOverride;
import java.time.Instant;
import io.quotient.api.Usage;
import io.quotient.decision.ItemDecision;
import io.quotient.event.EventItem;
import io.quotient.plan.Limit;
import io.quotient.refund.RefundResult;
import io.quotient.reservation.ReservationResult;
import io.quotient.server.auth.ApiKeys;
import io.quotient.status.MetricStatus;
import io.quotient.status.SubjectStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Engine values onto the records of the wire contract ({@code io.quotient.api}). Every answer the
 * API writes is one of those records; this is the one place that knows both sides. Ids of events
 * and grants become strings (they are 64-bit; JavaScript numbers are not).
 */
final class Wire {
  private Wire() {}

  static String id(long id) {
    return Long.toString(id);
  }

  static Decision decision(io.quotient.decision.Decision decision) {
    return new Decision(
        decision.allowed(),
        decision.reason() == null ? null : decision.reason().wireName(),
        decision.eventId() == 0 ? null : id(decision.eventId()),
        decision.items().stream().map(Wire::item).toList());
  }

  private static Decision.Item item(ItemDecision item) {
    return new Decision.Item(
        item.metric(), item.amount(), item.limit(), item.used(), item.held(), item.remaining(), item.bonusRemaining(),
        item.windowStart(), item.resetsAt(), item.fromPlan(), item.fromBonus(), item.overage(),
        item.reason() == null ? null : item.reason().wireName());
  }

  static Settlement settlement(ReservationResult result) {
    return switch (result) {
      case ReservationResult.Committed c -> settlement("committed", c.reservationId(), c.eventId(), c.items());
      case ReservationResult.Released r -> settlement("released", r.reservationId(), r.eventId(), r.items());
      case ReservationResult.Closed c -> throw new IllegalArgumentException("a closed reservation is not a settlement");
    };
  }

  private static Settlement settlement(String state, String reservationId, long eventId, List<ReservationResult.Settled> items) {
    return new Settlement(reservationId, state, id(eventId),
        items.stream().map(s -> new Settlement.Item(s.metric(), s.held(), s.committed())).toList());
  }

  static Reservation reservation(io.quotient.reservation.Reservation r) {
    return new Reservation(r.id(), r.subject(), r.state().wireName(), r.createdAt(), r.expiresAt(), id(r.eventId()),
        r.items().stream().map(h -> new Reservation.Item(h.metric(), h.amount(), h.windowStart())).toList());
  }

  static Refund refund(RefundResult.Refunded r) {
    return new Refund(id(r.eventId()), id(r.consumeEventId()), r.subject(),
        r.items().stream().map(i -> new Refund.Item(i.metric(), i.amount(), i.used())).toList());
  }

  static Usage usage(SubjectStatus status) {
    return new Usage(status.subject().id(), status.subject().plan(),
        status.metrics().stream().map(Wire::metric).toList());
  }

  private static Usage.Metric metric(MetricStatus m) {
    return new Usage.Metric(
        m.metric(), m.limit(), m.period().wireName(), m.enforcement().wireName(), m.used(), m.held(), m.remaining(),
        m.bonusRemaining(), m.overage(), m.windowStart(), m.resetsAt(), m.percentUsed(),
        m.limitSource());
  }

  static Plan plan(io.quotient.plan.Plan plan) {
    Map<String, Plan.Limit> limits = new LinkedHashMap<>();
    plan.limits().forEach((metric, limit) -> limits.put(metric, limit(limit)));
    io.quotient.plan.PlanPrice price = plan.price();
    return new Plan(plan.name(), limits,
        price == null ? null : new Plan.PlanPrice(price.amount().toPlainString(), price.currency().getCurrencyCode(), price.per().wireName()),
        plan.upgradeUrl());
  }

  private static Plan.Limit limit(Limit limit) {
    return new Plan.Limit(
        limit.limit(),
        limit.period().wireName(),
        limit.enforcement().wireName(),
        limit.overagePrice() == null ? null : new Plan.Price(
            limit.overagePrice().amount().toPlainString(), limit.overagePrice().currency().getCurrencyCode()),
        limit.rate() == null ? null : new Plan.Rate(limit.rate().perSecond(), limit.rate().burst()));
  }

  static Subject subject(io.quotient.subject.Subject subject, Map<String, LimitOverride> overrides, Instant now) {
    Map<String, Subject.Override> wire = new java.util.TreeMap<>();
    overrides.forEach((metric, o) -> wire.put(metric, new Subject.Override(o.limit(), o.expiresAt(), o.isActiveAt(now))));
    return new Subject(subject.id(), subject.plan(), subject.billingAnchor(), subject.metadata(), wire);
  }

  static Grant grant(io.quotient.grant.Grant grant) {
    return new Grant(id(grant.id()), grant.subject(), grant.metric(), grant.amount(), grant.used(), grant.remaining(),
        grant.expiresAt(), grant.reason(), grant.createdAt());
  }

  static EventPage eventPage(io.quotient.event.EventPage page) {
    return new EventPage(page.events().stream().map(Wire::event).toList(), page.nextCursor().toString());
  }

  static Event event(io.quotient.event.Event e) {
    return new Event(
        id(e.id()), e.cursor().toString(), e.at(), e.type().wireName(), e.subject(), e.allowed(), e.reason(), e.scope(), e.idempotencyKey(),
        e.relatedEventId() == null ? null : id(e.relatedEventId()), e.reservationId(),
        e.items() == null ? List.of() : e.items().stream().map(Wire::eventItem).toList(),
        e.metadata() == null ? Map.of() : e.metadata(),
        e.detail() == null ? Map.of() : e.detail());
  }

  private static Event.Item eventItem(EventItem i) {
    return new Event.Item(
        i.metric(), i.amount(), i.limit(), i.used(), i.remaining(), i.fromPlan(), i.fromBonus(), i.overage(),
        i.windowStart());
  }

  static Key key(ApiKeys.KeyInfo key) {
    return new Key(key.id(), key.name(), key.role().wireName(), key.prefix(), key.createdAt(), key.revokedAt());
  }

  static IssuedKey issuedKey(ApiKeys.IssuedKey issued) {
    ApiKeys.KeyInfo key = issued.info();
    return new IssuedKey(
        key.id(), key.name(), key.role().wireName(), key.prefix(), key.createdAt(), key.revokedAt(), issued.key());
  }
}
