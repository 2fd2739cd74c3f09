package io.quotient.server.api;

import io.quotient.Names;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.decision.Item;
import io.quotient.decision.ItemDecision;
import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.grant.Grant;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.OveragePrice;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import io.quotient.reservation.ReservationResult;
import io.quotient.server.auth.ApiKeys;
import io.quotient.server.problem.ProblemException;
import io.quotient.status.MetricStatus;
import io.quotient.status.SubjectStatus;
import io.quotient.subject.Subject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire format: JSON requests to engine requests and engine answers to JSON. Answers are built
 * as ordered maps so that every documented member is present, null included. Ids of events are
 * strings on the wire (they are 64-bit; JavaScript numbers are not).
 */
final class Wire {
  static final Set<String> CONSUME_FIELDS = Set.of("subject", "metric", "amount", "items", "metadata");
  private static final Set<String> ITEM_FIELDS = Set.of("metric", "amount");
  private static final Set<String> LIMIT_FIELDS = Set.of("limit", "period", "enforcement", "overagePrice", "rate");

  private Wire() {}

  // ---- requests ----

  /** A consume (or check, or reserve) body: one metric and amount, or items. */
  static ConsumeRequest consume(Body body, String idempotencyKey, String scope) {
    String subject = body.string("subject");
    List<Item> items;
    boolean single = body.has("metric") || body.has("amount");
    if (single && body.has("items")) {
      throw ProblemException.invalid(body.field("items"), "cannot be given with metric and amount; give one or the other");
    }
    if (single) {
      String metric = body.string("metric");
      long amount = body.amount("amount");
      items = List.of(Body.within(body.path(), () -> new Item(metric, amount)));
    } else {
      if (!body.has("items")) {
        throw ProblemException.invalid(body.field("items"), "is required (or metric and amount)");
      }
      List<Body> elements = body.objects("items");
      items = new ArrayList<>(elements.size());
      for (Body element : elements) {
        element.only(ITEM_FIELDS);
        String metric = element.string("metric");
        long amount = element.amount("amount");
        items.add(Body.within(element.path(), () -> new Item(metric, amount)));
      }
    }
    Map<String, String> metadata = body.optMetadata("metadata");
    return Body.within(body.path(), () -> new ConsumeRequest(subject, items, idempotencyKey, scope, metadata));
  }

  /** A plan's limits: {@code {"ai_generations":{"limit":10,"period":"month"}}}. */
  static Plan plan(String name, Body limitsBody) {
    Map<String, Limit> limits = new LinkedHashMap<>();
    limitsBody.objectEntries().forEach((metric, body) -> {
      if (!Names.METRIC.matcher(metric).matches()) {
        throw ProblemException.invalid(body.path(), "is not a metric name: must match [a-z0-9_.-]{1,64}");
      }
      limits.put(metric, limit(body));
    });
    return Body.within("", () -> new Plan(name, limits));
  }

  private static Limit limit(Body body) {
    body.only(LIMIT_FIELDS);
    if (!body.has("limit")) {
      throw ProblemException.invalid(body.field("limit"), "is required (a whole number, or null for unlimited)");
    }
    Long limit = body.present("limit") ? body.wholeNumber("limit", 0, false) : null;
    String periodName = body.string("period");
    Period period = Period.fromWireName(periodName);
    if (period == null) {
      throw ProblemException.invalid(body.field("period"), "must be one of "
          + Arrays.stream(Period.values()).map(Period::wireName).toList() + ", was '" + periodName + "'");
    }
    Enforcement enforcement = Enforcement.HARD;
    String enforcementName = body.optString("enforcement");
    if (enforcementName != null) {
      enforcement = Enforcement.fromWireName(enforcementName);
      if (enforcement == null) {
        throw ProblemException.invalid(body.field("enforcement"), "must be hard or soft, was '" + enforcementName + "'");
      }
    }
    OveragePrice price = null;
    Body priceBody = body.optObject("overagePrice");
    if (priceBody != null) {
      priceBody.only(Set.of("amount", "currency"));
      java.math.BigDecimal amount = priceBody.decimal("amount");
      String code = priceBody.string("currency");
      Currency currency;
      try {
        currency = Currency.getInstance(code);
      } catch (IllegalArgumentException e) {
        throw ProblemException.invalid(priceBody.field("currency"), "must be an ISO 4217 code such as USD, was '" + code + "'");
      }
      price = Body.within(body.path(), () -> new OveragePrice(amount, currency));
    }
    Rate rate = null;
    Body rateBody = body.optObject("rate");
    if (rateBody != null) {
      rateBody.only(Set.of("perSecond", "burst"));
      long perSecond = rateBody.wholeNumber("perSecond", 1, false);
      long burst = rateBody.wholeNumber("burst", 1, false);
      rate = Body.within(body.path(), () -> new Rate(perSecond, burst));
    }
    Enforcement e = enforcement;
    OveragePrice p = price;
    Rate r = rate;
    return Body.within(body.path(), () -> new Limit(limit, period, e, p, r));
  }

  // ---- answers ----

  static Map<String, Object> decision(Decision decision) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("allowed", decision.allowed());
    out.put("reason", decision.reason() == null ? null : decision.reason().wireName());
    out.put("eventId", decision.eventId() == 0 ? null : Long.toString(decision.eventId()));
    out.put("items", decision.items().stream().map(Wire::itemDecision).toList());
    return out;
  }

  private static Map<String, Object> itemDecision(ItemDecision item) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", item.metric());
    out.put("amount", item.amount());
    out.put("limit", item.limit());
    out.put("used", item.used());
    out.put("held", item.held());
    out.put("remaining", item.remaining());
    out.put("bonusRemaining", item.bonusRemaining());
    out.put("windowStart", item.windowStart());
    out.put("resetsAt", item.resetsAt());
    out.put("fromPlan", item.fromPlan());
    out.put("fromBonus", item.fromBonus());
    out.put("overage", item.overage());
    out.put("reason", item.reason() == null ? null : item.reason().wireName());
    return out;
  }

  static Map<String, Object> settled(String state, String reservationId, long eventId, List<ReservationResult.Settled> items) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("reservationId", reservationId);
    out.put("state", state);
    out.put("eventId", Long.toString(eventId));
    out.put("items", items.stream().map(s -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("metric", s.metric());
      item.put("held", s.held());
      item.put("committed", s.committed());
      return item;
    }).toList());
    return out;
  }

  static Map<String, Object> status(SubjectStatus status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", status.subject().id());
    out.put("plan", status.subject().plan());
    out.put("metrics", status.metrics().stream().map(Wire::metricStatus).toList());
    return out;
  }

  private static Map<String, Object> metricStatus(MetricStatus m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", m.metric());
    out.put("limit", m.limit());
    out.put("period", m.period().wireName());
    out.put("enforcement", m.enforcement().wireName());
    out.put("used", m.used());
    out.put("held", m.held());
    out.put("remaining", m.remaining());
    out.put("bonusRemaining", m.bonusRemaining());
    out.put("overage", m.overage());
    out.put("windowStart", m.windowStart());
    out.put("resetsAt", m.resetsAt());
    out.put("percentUsed", m.percentUsed());
    return out;
  }

  static Map<String, Object> plan(Plan plan) {
    Map<String, Object> limits = new LinkedHashMap<>();
    plan.limits().forEach((metric, limit) -> {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("limit", limit.limit());
      l.put("period", limit.period().wireName());
      l.put("enforcement", limit.enforcement().wireName());
      l.put("overagePrice", limit.overagePrice() == null ? null : Map.of(
          "amount", limit.overagePrice().amount().toPlainString(),
          "currency", limit.overagePrice().currency().getCurrencyCode()));
      l.put("rate", limit.rate() == null ? null : Map.of(
          "perSecond", limit.rate().perSecond(), "burst", limit.rate().burst()));
      limits.put(metric, l);
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", plan.name());
    out.put("limits", limits);
    return out;
  }

  static Map<String, Object> subject(Subject subject) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", subject.id());
    out.put("plan", subject.plan());
    out.put("billingAnchor", subject.billingAnchor());
    out.put("metadata", subject.metadata());
    return out;
  }

  static Map<String, Object> grant(Grant grant) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", Long.toString(grant.id()));
    out.put("subject", grant.subject());
    out.put("metric", grant.metric());
    out.put("amount", grant.amount());
    out.put("used", grant.used());
    out.put("remaining", grant.remaining());
    out.put("expiresAt", grant.expiresAt());
    out.put("reason", grant.reason());
    out.put("createdAt", grant.createdAt());
    return out;
  }

  static Map<String, Object> event(Event e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", Long.toString(e.id()));
    out.put("cursor", e.cursor().toString());
    out.put("at", e.at());
    out.put("type", e.type().wireName());
    out.put("subject", e.subject());
    out.put("allowed", e.allowed());
    out.put("reason", e.reason());
    out.put("scope", e.scope());
    out.put("idempotencyKey", e.idempotencyKey());
    out.put("relatedEventId", e.relatedEventId() == null ? null : Long.toString(e.relatedEventId()));
    out.put("reservationId", e.reservationId());
    out.put("items", e.items() == null ? List.of() : e.items().stream().map(Wire::eventItem).toList());
    out.put("metadata", e.metadata() == null ? Map.of() : e.metadata());
    out.put("detail", e.detail() == null ? Map.of() : e.detail());
    return out;
  }

  private static Map<String, Object> eventItem(EventItem i) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", i.metric());
    out.put("amount", i.amount());
    out.put("limit", i.limit());
    out.put("used", i.used());
    out.put("remaining", i.remaining());
    out.put("fromPlan", i.fromPlan());
    out.put("fromBonus", i.fromBonus());
    out.put("overage", i.overage());
    out.put("windowStart", i.windowStart());
    return out;
  }

  static Map<String, Object> key(ApiKeys.KeyInfo key) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", key.id());
    out.put("name", key.name());
    out.put("role", key.role().wireName());
    out.put("prefix", key.prefix());
    out.put("createdAt", key.createdAt());
    out.put("revokedAt", key.revokedAt());
    return out;
  }
}
