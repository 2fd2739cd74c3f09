package io.quotient.server.api;

import static io.quotient.server.api.Exchange.blankToNull;
import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.pathId;
import static io.quotient.server.api.Exchange.queryNumber;
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
import io.quotient.server.problem.ProblemException;
import io.quotient.subject.LimitOverride;
import io.quotient.subject.Subject;
import io.quotient.subject.SubjectPage;
import io.quotient.subject.SubjectQuery;
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
    routes.get("/v1/subjects", this::list, Access.READ);
    routes.delete("/v1/subjects/{id}", this::deleteSubject, Access.ADMIN);
    routes.get("/v1/subjects/{id}/usage", this::usage, Access.USAGE);
    routes.put("/v1/subjects/{id}", this::putSubject, Access.ADMIN);
    routes.get("/v1/subjects/{id}", this::getSubject, Access.READ);
    routes.post("/v1/subjects/{id}/grants", this::grant, Access.ADMIN);
    routes.get("/v1/subjects/{id}/grants", this::grants, Access.READ);
    routes.post("/v1/subjects/{id}/reset", this::reset, Access.ADMIN);
  }

  private void list(Context ctx) {
    Exchange.onlyQuery(ctx, Set.of("plan", "metadata", "atShare", "createdSince", "after", "limit"));
    String plan = blankToNull(ctx.queryParam("plan"));
    String metadata = blankToNull(ctx.queryParam("metadata"));
    String key = null;
    String value = null;
    if (metadata != null) {
      int eq = metadata.indexOf('=');
      if (eq <= 0) {
        throw ProblemException.invalid("metadata", "must be key=value, was '" + metadata + "'");
      }
      key = metadata.substring(0, eq);
      value = metadata.substring(eq + 1);
    }
    Double share = null;
    String shareText = blankToNull(ctx.queryParam("atShare"));
    if (shareText != null) {
      try {
        share = Double.parseDouble(shareText);
      } catch (NumberFormatException e) {
        throw ProblemException.invalid("atShare", "must be a number such as 0.8, was '" + shareText + "'");
      }
    }
    Instant since = Exchange.queryInstant(ctx, "createdSince");
    int limit = (int) queryNumber(ctx, "limit", 1, SubjectQuery.MAX_LIMIT, 100);
    String k = key;
    String v = value;
    Double s = share;
    SubjectQuery query = Body.within("", () -> new SubjectQuery(
        plan, k, v, s, since, blankToNull(ctx.queryParam("after")), limit));
    SubjectPage page = engine.subjects(query);
    Instant now = clock.instant();
    Map<String, Map<String, LimitOverride>> overrides =
        engine.overrides(page.subjects().stream().map(Subject::id).toList());
    json(ctx, 200, new io.quotient.api.SubjectPage(page.subjects().stream()
        .map(one -> Wire.subject(one, overrides.getOrDefault(one.id(), Map.of()), now)).toList(), page.nextCursor()));
  }

  private void deleteSubject(Context ctx) {
    engine.deleteSubject(pathId(ctx), scope(ctx));
    ctx.status(204);
  }

  private void usage(Context ctx) {
    json(ctx, 200, Wire.usage(engine.status(pathId(ctx))));
  }

  private void putSubject(Context ctx) {
    String id = pathId(ctx);
    Body body = exchange.body(ctx, true).only(Set.of("plan", "billingAnchor", "metadata", "overrides"));
    Map<String, LimitOverride> overrides = overrides(body);
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
    Subject saved = engine.putSubject(subject, overrides, scope(ctx));
    json(ctx, 200, Wire.subject(saved, engine.overrides(id), clock.instant()));
  }

  /** The body's overrides: {@code {"metric": {"limit": n|null, "expiresAt": instant?}}}; null when absent. */
  private static Map<String, LimitOverride> overrides(Body body) {
    if (!body.has("overrides")) {
      return null;
    }
    Map<String, LimitOverride> overrides = new java.util.TreeMap<>();
    body.object("overrides").objectEntries().forEach((metric, entry) -> {
      if (!Names.METRIC.matcher(metric).matches()) {
        throw ProblemException.invalid(entry.path(), "is not a metric name: must match [a-z0-9_.-]{1,64}");
      }
      entry.only(Set.of("limit", "expiresAt"));
      if (!entry.has("limit")) {
        throw ProblemException.invalid(entry.field("limit"), "is required (a whole number, or null for unlimited)");
      }
      Long limit = entry.present("limit") ? entry.wholeNumber("limit", 0, false) : null;
      Instant expiresAt = entry.optInstant("expiresAt");
      overrides.put(metric, Body.within(entry.path(), () -> new LimitOverride(limit, expiresAt)));
    });
    return overrides;
  }

  private void getSubject(Context ctx) {
    String id = pathId(ctx);
    Subject subject = engine.subject(id).orElseThrow(() -> new NotFoundException("subject", id));
    json(ctx, 200, Wire.subject(subject, engine.overrides(id), clock.instant()));
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
