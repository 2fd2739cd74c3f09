package io.quotient.server.api;

import static io.quotient.server.api.Exchange.blankToNull;
import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.queryNumber;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.api.AlertRules;
import io.quotient.api.ProblemType;
import io.quotient.monitor.alert.Alert;
import io.quotient.monitor.alert.AlertQuery;
import io.quotient.monitor.alert.AlertRule;
import io.quotient.monitor.alert.Alerts;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.util.Set;

/**
 * Threshold alerts: {@code PUT}, {@code GET}, {@code DELETE /v1/alert-rules/{name}},
 * {@code GET /v1/alert-rules}, and {@code GET /v1/alerts}.
 */
final class AlertRoutes {
  private final Alerts alerts;
  private final Exchange exchange;

  AlertRoutes(Alerts alerts, Exchange exchange) {
    this.alerts = alerts;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/alert-rules", this::rules, Access.READ);
    routes.put("/v1/alert-rules/{name}", this::putRule, Access.ADMIN);
    routes.get("/v1/alert-rules/{name}", this::getRule, Access.READ);
    routes.delete("/v1/alert-rules/{name}", this::deleteRule, Access.ADMIN);
    routes.get("/v1/alerts", this::alerts, Access.READ);
  }

  private void rules(Context ctx) {
    json(ctx, 200, new AlertRules(alerts.rules().stream().map(AlertRoutes::rule).toList(), AlertRule.DEFAULT_THRESHOLDS));
  }

  private void putRule(Context ctx) {
    String name = name(ctx);
    Body body = exchange.body(ctx, true).only(Set.of("plan", "metric", "thresholds"));
    String plan = body.optString("plan");
    String metric = body.optString("metric");
    var thresholds = body.integers("thresholds", 1, 1000);
    AlertRule rule = Body.within("", () -> new AlertRule(name, plan, metric, thresholds, null));
    json(ctx, 200, rule(alerts.putRule(rule)));
  }

  private void getRule(Context ctx) {
    String name = name(ctx);
    json(ctx, 200, rule(alerts.rule(name).orElseThrow(() -> new NotFoundException("alert rule", name))));
  }

  private void deleteRule(Context ctx) {
    String name = name(ctx);
    if (!alerts.deleteRule(name)) {
      throw new NotFoundException("alert rule", name);
    }
    ctx.status(204);
  }

  private void alerts(Context ctx) {
    Set<String> known = Set.of("state", "subject", "metric", "limit");
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
    int limit = (int) queryNumber(ctx, "limit", 1, 1000, 100);
    AlertQuery query = Body.within("", () -> new AlertQuery(
        blankToNull(ctx.queryParam("state")), blankToNull(ctx.queryParam("subject")), blankToNull(ctx.queryParam("metric")),
        limit));
    json(ctx, 200, new io.quotient.api.Alerts(alerts.list(query).stream().map(AlertRoutes::alert).toList()));
  }

  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    Body.within("", () -> Names.requireName(name, "name"));
    return name;
  }

  private static io.quotient.api.AlertRule rule(AlertRule r) {
    return new io.quotient.api.AlertRule(r.name(), r.plan(), r.metric(), r.thresholds(), r.updatedAt());
  }

  private static io.quotient.api.Alert alert(Alert a) {
    return new io.quotient.api.Alert(
        Long.toString(a.id()), a.subject(), a.metric(), a.threshold(), a.level(), a.state(), a.windowStart(), a.resetsAt(),
        a.used(), a.limit(), a.triggeredAt(), a.resolvedAt(), a.resolvedReason());
  }
}
