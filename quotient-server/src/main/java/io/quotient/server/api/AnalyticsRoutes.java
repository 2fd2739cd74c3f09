package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.queryNumber;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.api.DenialRates;
import io.quotient.api.NearLimitPage;
import io.quotient.api.Plan;
import io.quotient.api.ProblemType;
import io.quotient.api.Recommendation;
import io.quotient.api.SubjectAnalytics;
import io.quotient.api.TopConsumers;
import io.quotient.api.UsageDistribution;
import io.quotient.monitor.analytics.Analytics;
import io.quotient.monitor.analytics.NearLimit;
import io.quotient.plan.PlanPrice;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.util.Set;

/**
 * The analytics, read from the monitor's rollups: a subject's series and forecast and its plan
 * recommendation (which its own subject token may read, for the usage page), and the operators'
 * near-limit list, denial rate, distribution and top consumers.
 */
final class AnalyticsRoutes {
  private final Analytics analytics;
  private final String upgradeUrl;

  AnalyticsRoutes(Analytics analytics, String upgradeUrl) {
    this.analytics = analytics;
    this.upgradeUrl = upgradeUrl;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/subjects/{id}/analytics", this::subject, Access.USAGE);
    routes.get("/v1/subjects/{id}/recommendation", this::recommendation, Access.USAGE);
    routes.get("/v1/analytics/near-limit", this::nearLimit, Access.READ);
    routes.get("/v1/analytics/denials", this::denials, Access.READ);
    routes.get("/v1/analytics/distribution", this::distribution, Access.READ);
    routes.get("/v1/analytics/top", this::top, Access.READ);
  }

  private static void only(Context ctx, Set<String> known) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
  }

  private void subject(Context ctx) {
    only(ctx, Set.of("days"));
    int days = (int) queryNumber(ctx, "days", 1, Analytics.MAX_DAYS, 30);
    io.quotient.monitor.analytics.SubjectAnalytics a = analytics.subject(Exchange.pathId(ctx), days);
    json(ctx, 200, new SubjectAnalytics(a.subject(), a.plan(), a.from().toString(), a.to().toString(),
        a.metrics().stream().map(m -> new SubjectAnalytics.Metric(
            m.metric(), m.limit(), m.period().wireName(), m.used(), m.remaining(), m.resetsAt(),
            m.series().stream().map(d -> new SubjectAnalytics.Day(
                d.day().toString(), d.granted(), d.refunded(), d.denials(), d.fromBonus(), d.overage())).toList(),
            m.average7(), m.trend().wireName(), m.projected(), m.daysUntilLimit(), m.dailyBudget(), m.enoughData()))
            .toList()));
  }

  private void recommendation(Context ctx) {
    only(ctx, Set.of());
    io.quotient.monitor.analytics.Recommendation r = analytics.recommendation(Exchange.pathId(ctx), upgradeUrl);
    json(ctx, 200, new Recommendation(r.subject(), r.action().wireName(), r.currentPlan(), price(r.currentPrice()),
        r.recommendedPlan(), price(r.recommendedPrice()), r.upgradeUrl(), r.urgent(), r.enoughData(),
        r.reasons().stream().map(x -> new Recommendation.Reason(
            x.metric(), x.projected(), x.required(), x.currentLimit(), x.recommendedLimit(), x.fits(), x.daysUntilLimit()))
            .toList()));
  }

  private static Plan.PlanPrice price(PlanPrice price) {
    return price == null ? null
        : new Plan.PlanPrice(price.amount().toPlainString(), price.currency().getCurrencyCode(), price.per().wireName());
  }

  private void nearLimit(Context ctx) {
    only(ctx, Set.of("min", "offset", "limit"));
    double min = queryNumber(ctx, "min", 0, 1000, 80);
    int offset = (int) queryNumber(ctx, "offset", 0, 100_000, 0);
    int limit = (int) queryNumber(ctx, "limit", 1, Analytics.MAX_LIMIT, 100);
    NearLimit.Page page = analytics.nearLimit(min, offset, limit);
    json(ctx, 200, new NearLimitPage(page.items().stream().map(n -> new NearLimitPage.Item(
        n.subject(), n.metric(), n.used(), n.limit(), n.percent(), n.resetsAt())).toList(), page.nextOffset()));
  }

  private void denials(Context ctx) {
    only(ctx, Set.of("hours"));
    int hours = (int) queryNumber(ctx, "hours", 1, Analytics.MAX_HOURS, 24);
    json(ctx, 200, new DenialRates(analytics.denials(hours).stream()
        .map(h -> new DenialRates.Hour(h.hour(), h.decisions(), h.denials(), h.rate())).toList()));
  }

  private void distribution(Context ctx) {
    only(ctx, Set.of("metric"));
    String metric = metric(ctx);
    io.quotient.monitor.analytics.Distribution d = analytics.distribution(metric);
    json(ctx, 200, new UsageDistribution(d.metric(),
        d.bands().stream().map(b -> new UsageDistribution.Band(b.from(), b.to(), b.subjects())).toList(), d.subjects()));
  }

  private void top(Context ctx) {
    only(ctx, Set.of("metric", "limit"));
    String metric = metric(ctx);
    int limit = (int) queryNumber(ctx, "limit", 1, Analytics.MAX_LIMIT, 10);
    json(ctx, 200, new TopConsumers(metric, analytics.top(metric, limit).stream()
        .map(t -> new TopConsumers.Item(t.subject(), t.used(), t.limit(), t.percent(), t.resetsAt())).toList()));
  }

  private static String metric(Context ctx) {
    String metric = Exchange.blankToNull(ctx.queryParam("metric"));
    if (metric == null) {
      throw ProblemException.invalid("metric", "is required");
    }
    Body.within("", () -> Names.requireName(metric, "metric"));
    return metric;
  }
}
