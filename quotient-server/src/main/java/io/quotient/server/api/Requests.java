package io.quotient.server.api;

import io.quotient.Names;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Item;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.OveragePrice;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.PlanPrice;
import io.quotient.plan.Rate;
import io.quotient.server.problem.ProblemException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON request bodies onto engine requests, read strictly through {@link Body} so that every
 * refusal names its field. The shapes are those of the {@code io.quotient.api} request records.
 */
final class Requests {
  static final Set<String> CONSUME_FIELDS = Set.of("subject", "metric", "amount", "items", "metadata");
  static final Set<String> ITEM_FIELDS = Set.of("metric", "amount");
  private static final Set<String> LIMIT_FIELDS = Set.of("limit", "period", "enforcement", "overagePrice", "rate");

  private Requests() {}

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

  static final Set<String> PLAN_FIELDS = Set.of("limits", "price", "upgradeUrl");

  /**
   * A plan: {@code {"limits":{"ai_generations":{"limit":10,"period":"month"}},
   * "price":{"amount":"19","currency":"USD","per":"month"},"upgradeUrl":"https://…"}}.
   */
  static Plan plan(String name, Body planBody) {
    planBody.only(PLAN_FIELDS);
    Body limitsBody = planBody.object("limits");
    Map<String, Limit> limits = new LinkedHashMap<>();
    limitsBody.objectEntries().forEach((metric, body) -> {
      if (!Names.METRIC.matcher(metric).matches()) {
        throw ProblemException.invalid(body.path(), "is not a metric name: must match [a-z0-9_.-]{1,64}");
      }
      limits.put(metric, limit(body));
    });
    PlanPrice price = null;
    Body priceBody = planBody.optObject("price");
    if (priceBody != null) {
      priceBody.only(Set.of("amount", "currency", "per"));
      BigDecimal amount = priceBody.decimal("amount");
      Currency currency = currency(priceBody);
      String perName = priceBody.string("per");
      PlanPrice.Per per = PlanPrice.Per.fromWireName(perName);
      if (per == null) {
        throw ProblemException.invalid(priceBody.field("per"), "must be month or year, was '" + perName + "'");
      }
      price = Body.within(planBody.path(), () -> new PlanPrice(amount, currency, per));
    }
    String upgradeUrl = planBody.optString("upgradeUrl");
    PlanPrice p = price;
    return Body.within(planBody.path(), () -> new Plan(name, limits, p, upgradeUrl));
  }

  private static Currency currency(Body priceBody) {
    String code = priceBody.string("currency");
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(priceBody.field("currency"), "must be an ISO 4217 code such as USD, was '" + code + "'");
    }
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
      BigDecimal amount = priceBody.decimal("amount");
      Currency currency = currency(priceBody);
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
}
