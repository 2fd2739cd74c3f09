package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.scope;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.api.Plans;
import io.quotient.engine.Quotient;
import io.quotient.plan.Plan;
import io.quotient.server.auth.Access;

/** Plans: {@code GET /v1/plans}, {@code GET} and {@code PUT /v1/plans/{name}}. */
final class PlanRoutes {
  private final Quotient engine;
  private final Exchange exchange;

  PlanRoutes(Quotient engine, Exchange exchange) {
    this.engine = engine;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/plans", this::plans, Access.READ);
    routes.put("/v1/plans/{name}", this::putPlan, Access.ADMIN);
    routes.get("/v1/plans/{name}", this::getPlan, Access.READ);
    routes.delete("/v1/plans/{name}", this::deletePlan, Access.ADMIN);
  }

  private void plans(Context ctx) {
    json(ctx, 200, new Plans(engine.plans().stream().map(Wire::plan).toList()));
  }

  private void putPlan(Context ctx) {
    String name = ctx.pathParam("name");
    Body.within("", () -> Names.requireName(name, "name"));
    Plan plan = Requests.plan(name, exchange.body(ctx, true));
    json(ctx, 200, Wire.plan(engine.putPlan(plan, scope(ctx))));
  }

  private void deletePlan(Context ctx) {
    String name = ctx.pathParam("name");
    Body.within("", () -> Names.requireName(name, "name"));
    engine.deletePlan(name, scope(ctx));
    ctx.status(204);
  }

  private void getPlan(Context ctx) {
    String name = ctx.pathParam("name");
    Body.within("", () -> Names.requireName(name, "name"));
    Plan plan = engine.plan(name).orElseThrow(() -> new NotFoundException("plan", name));
    json(ctx, 200, Wire.plan(plan));
  }
}
