package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.pathId;
import static io.quotient.server.api.Exchange.scope;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.api.Grants;
import io.quotient.api.Reset;
import io.quotient.engine.Quotient;
import io.quotient.grant.GrantRequest;
import io.quotient.server.auth.Access;
import io.quotient.subject.Subject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Subjects and what belongs to one: the subject itself, its usage, its grants, and resets of its
 * windows.
 */
final class SubjectRoutes {
  private final Quotient engine;
  private final Exchange exchange;
  private final Clock clock;
  private final String defaultPlan;

  SubjectRoutes(Quotient engine, Exchange exchange, Clock clock, String defaultPlan) {
    this.engine = engine;
    this.exchange = exchange;
    this.clock = clock;
    this.defaultPlan = defaultPlan;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/subjects/{id}/usage", this::usage, Access.USAGE);
    routes.put("/v1/subjects/{id}", this::putSubject, Access.ADMIN);
    routes.get("/v1/subjects/{id}", this::getSubject, Access.READ);
    routes.post("/v1/subjects/{id}/grants", this::grant, Access.ADMIN);
    routes.get("/v1/subjects/{id}/grants", this::grants, Access.READ);
    routes.post("/v1/subjects/{id}/reset", this::reset, Access.ADMIN);
  }

  private void usage(Context ctx) {
    json(ctx, 200, Wire.usage(engine.status(pathId(ctx))));
  }

  private void putSubject(Context ctx) {
    String id = pathId(ctx);
    Body body = exchange.body(ctx, true).only(Set.of("plan", "billingAnchor", "metadata"));
    Optional<Subject> existing = engine.subject(id);
    String plan = body.optString("plan");
    if (plan == null) {
      plan = existing.map(Subject::plan).orElse(defaultPlan);
    }
    Instant anchor = body.optInstant("billingAnchor");
    if (anchor == null) {
      anchor = existing.map(Subject::billingAnchor).orElse(clock.instant());
    }
    Map<String, String> metadata = body.optMetadata("metadata");
    if (metadata == null) {
      metadata = existing.map(Subject::metadata).orElse(Map.of());
    }
    String p = plan;
    Instant a = anchor;
    Map<String, String> m = metadata;
    Subject subject = Body.within("", () -> new Subject(id, p, a, m));
    json(ctx, 200, Wire.subject(engine.putSubject(subject, scope(ctx))));
  }

  private void getSubject(Context ctx) {
    String id = pathId(ctx);
    Subject subject = engine.subject(id).orElseThrow(() -> new NotFoundException("subject", id));
    json(ctx, 200, Wire.subject(subject));
  }

  private void grant(Context ctx) {
    String id = pathId(ctx);
    Body body = exchange.body(ctx, true).only(Set.of("metric", "amount", "expiresAt", "reason"));
    String metric = body.string("metric");
    long amount = body.amount("amount");
    Instant expiresAt = body.optInstant("expiresAt");
    String reason = body.optString("reason");
    GrantRequest request = Body.within("", () -> new GrantRequest(id, metric, amount, expiresAt, reason));
    json(ctx, 201, Wire.grant(engine.grant(request, scope(ctx))));
  }

  private void grants(Context ctx) {
    json(ctx, 200, new Grants(engine.grants(pathId(ctx)).stream().map(Wire::grant).toList()));
  }

  private void reset(Context ctx) {
    String id = pathId(ctx);
    Body body = exchange.body(ctx, false).only(Set.of("metric"));
    String metric = body.optString("metric");
    if (metric != null) {
      Body.within("", () -> Names.requireName(metric, "metric"));
    }
    long eventId = engine.reset(id, metric, scope(ctx));
    json(ctx, 200, new Reset(Wire.id(eventId)));
  }
}
