package io.quotient.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.decision.Reserved;
import io.quotient.engine.Quotient;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Plan;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReserveRequest;
import io.quotient.server.auth.Access;
import io.quotient.server.auth.ApiKeys;
import io.quotient.server.auth.Authenticator;
import io.quotient.server.auth.Credential;
import io.quotient.server.auth.Role;
import io.quotient.server.auth.SubjectTokens;
import io.quotient.server.metrics.ServerMetrics;
import io.quotient.server.problem.Problem;
import io.quotient.server.problem.ProblemException;
import io.quotient.server.problem.ProblemType;
import io.quotient.subject.Subject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The v1 routes and the operations routes, over one engine. Every handler reads its input
 * strictly, calls the engine once, and writes the answer; quota logic lives in the engine only.
 *
 * <p>Thread-safe: handlers share nothing mutable.
 */
public final class Api {
  /** The request header carrying an idempotency key (IETF draft). */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The response header marking a replayed answer. */
  public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  private static final String OPENAPI_RESOURCE = "/io/quotient/server/api/openapi.json";

  private final Quotient engine;
  private final ApiKeys keys;
  private final SubjectTokens tokens;
  private final DataSource dataSource;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final Limits limits;
  private final BooleanSupplier accepting;
  private final byte[] openApi;

  /**
   * The request limits.
   *
   * @param maxBodyBytes the largest body accepted (413 past it)
   * @param maxBatchRequests the most requests in one batch (413 past it)
   * @param defaultPlan the plan new subjects get when a PUT names none
   */
  public record Limits(int maxBodyBytes, int maxBatchRequests, String defaultPlan) {}

  public Api(
      Quotient engine,
      ApiKeys keys,
      SubjectTokens tokens,
      DataSource dataSource,
      ServerMetrics metrics,
      Clock clock,
      Limits limits,
      BooleanSupplier accepting) {
    this.engine = engine;
    this.keys = keys;
    this.tokens = tokens;
    this.dataSource = dataSource;
    this.metrics = metrics;
    this.clock = clock;
    this.limits = limits;
    this.accepting = accepting;
    this.openApi = openApiDocument();
  }

  /** The OpenAPI document served at {@code GET /v1/openapi.json}. */
  public static byte[] openApiDocument() {
    try (InputStream in = Api.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds every route. */
  public void register(RoutesConfig routes) {
    // Enforcement.
    routes.post("/v1/consume", this::consume, Access.ENFORCE);
    routes.post("/v1/check", this::check, Access.ENFORCE);
    routes.post("/v1/consume/batch", this::batch, Access.ENFORCE);
    routes.post("/v1/refunds", this::refund, Access.ENFORCE);
    routes.post("/v1/reservations", this::reserve, Access.ENFORCE);
    routes.post("/v1/reservations/{id}/commit", this::commit, Access.ENFORCE);
    routes.post("/v1/reservations/{id}/release", this::release, Access.ENFORCE);
    routes.get("/v1/subjects/{id}/usage", this::usage, Access.USAGE);
    // Administration.
    routes.get("/v1/plans", this::plans, Access.READ);
    routes.put("/v1/plans/{name}", this::putPlan, Access.ADMIN);
    routes.get("/v1/plans/{name}", this::getPlan, Access.READ);
    routes.put("/v1/subjects/{id}", this::putSubject, Access.ADMIN);
    routes.get("/v1/subjects/{id}", this::getSubject, Access.READ);
    routes.post("/v1/subjects/{id}/grants", this::grant, Access.ADMIN);
    routes.get("/v1/subjects/{id}/grants", this::grants, Access.READ);
    routes.post("/v1/subjects/{id}/reset", this::reset, Access.ADMIN);
    routes.post("/v1/subjects/{id}/tokens", this::token, Access.ADMIN);
    routes.get("/v1/events", this::events, Access.READ);
    routes.post("/v1/keys", this::createKey, Access.ADMIN);
    routes.get("/v1/keys", this::listKeys, Access.ADMIN);
    routes.delete("/v1/keys/{id}", this::revokeKey, Access.ADMIN);
    // Operations, no credential.
    routes.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    routes.get("/health/live", ctx -> json(ctx, 200, Map.of("status", "up")));
    routes.get("/health/ready", this::ready);
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }

  // ---- enforcement ----

  private void consume(Context ctx) {
    Body body = body(ctx, true).only(Wire.CONSUME_FIELDS);
    ConsumeRequest request = Wire.consume(body, idempotencyKey(ctx), scope(ctx));
    long start = System.nanoTime();
    ConsumeResult result = engine.consume(request);
    metrics.decisionTime("consume", Duration.ofNanos(System.nanoTime() - start));
    Decision decision = decided(result);
    metrics.decision("consume", outcome(decision));
    if (decision.replayed()) {
      ctx.header(IDEMPOTENT_REPLAYED, "true");
    }
    json(ctx, 200, Wire.decision(decision));
  }

  private void check(Context ctx) {
    Body body = body(ctx, true).only(Wire.CONSUME_FIELDS);
    ConsumeRequest request = Wire.consume(body, null, scope(ctx));
    Decision decision = decided(engine.check(request));
    metrics.decision("check", outcome(decision));
    json(ctx, 200, Wire.decision(decision));
  }

  private void batch(Context ctx) {
    Body body = body(ctx, true).only(Set.of("requests"));
    int size = body.arraySize("requests");
    if (size > limits.maxBatchRequests()) {
      throw new ProblemException(ProblemType.BATCH_TOO_LARGE,
          "requests holds " + size + " requests; at most " + limits.maxBatchRequests() + " are accepted", "requests");
    }
    List<Body> elements = body.objects("requests");
    if (elements.isEmpty()) {
      throw ProblemException.invalid("requests", "must hold at least one request");
    }
    metrics.batch(elements.size());
    Set<String> fields = new java.util.HashSet<>(Wire.CONSUME_FIELDS);
    fields.add("idempotencyKey");
    List<ConsumeRequest> requests = new ArrayList<>(elements.size());
    for (Body element : elements) {
      element.only(fields);
      String key = element.optString("idempotencyKey");
      if (key != null) {
        Body.within(element.path(), () -> Names.requireId(key, "idempotencyKey"));
      }
      requests.add(Wire.consume(element, key, scope(ctx)));
    }
    long start = System.nanoTime();
    List<ConsumeResult> results = engine.consumeAll(requests);
    metrics.decisionTime("batch", Duration.ofNanos(System.nanoTime() - start));
    List<Object> out = new ArrayList<>(results.size());
    for (ConsumeResult result : results) {
      switch (result) {
        case Decision d -> {
          metrics.decision("batch", outcome(d));
          Map<String, Object> item = Wire.decision(d);
          item.put("replayed", d.replayed());
          out.add(item);
        }
        case IdempotencyMismatch m -> out.add(Map.of("error", problemBody(mismatch(m, "idempotencyKey"))));
        case IdempotencyInFlight f -> out.add(Map.of("error", problemBody(inFlight(f, "idempotencyKey"))));
        case Reserved r -> throw new IllegalStateException("the engine answered a consume with a reservation");
      }
    }
    json(ctx, 200, Map.of("results", out));
  }

  private void refund(Context ctx) {
    Body body = body(ctx, true).only(Set.of("eventId", "subject", "idempotencyKey", "amount"));
    Long eventId = body.present("eventId") ? eventId(body) : null;
    String subject = body.optString("subject");
    String key = body.optString("idempotencyKey");
    if (eventId == null && key == null) {
      throw ProblemException.invalid("eventId", "is required (or subject and idempotencyKey)");
    }
    if (eventId != null && (key != null || subject != null)) {
      throw ProblemException.invalid("eventId", "cannot be given with subject and idempotencyKey; give one or the other");
    }
    Long amount = body.optAmount("amount");
    RefundRequest request = Body.within("", () -> new RefundRequest(eventId, scope(ctx), subject, key, amount));
    switch (engine.refund(request)) {
      case RefundResult.Refunded r -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", Long.toString(r.eventId()));
        out.put("consumeEventId", Long.toString(r.consumeEventId()));
        out.put("subject", r.subject());
        out.put("items", r.items().stream().map(i -> {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("metric", i.metric());
          item.put("amount", i.amount());
          item.put("used", i.used());
          return item;
        }).toList());
        json(ctx, 200, out);
      }
      case RefundResult.NotRefundable n -> throw new ProblemException(ProblemType.NOT_REFUNDABLE,
          "consume " + n.consumeEventId() + " has " + n.refundable() + " units left to refund",
          amount == null ? "eventId" : "amount",
          Map.of("consumeEventId", Long.toString(n.consumeEventId()), "refundable", n.refundable()));
    }
  }

  /** An event id: a string of digits (as answers give it) or a whole number. */
  private static long eventId(Body body) {
    if (body.isString("eventId")) {
      String value = body.optString("eventId");
      if (!value.matches("[1-9][0-9]{0,18}")) {
        throw ProblemException.invalid("eventId", "must be an event id such as \"42\", was '" + value + "'");
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw ProblemException.invalid("eventId", "must be an event id such as \"42\", was '" + value + "'");
      }
    }
    return body.wholeNumber("eventId", 1, false);
  }

  private void reserve(Context ctx) {
    Set<String> fields = new java.util.HashSet<>(Wire.CONSUME_FIELDS);
    fields.add("ttlSeconds");
    Body body = body(ctx, true).only(fields);
    if (!body.present("ttlSeconds")) {
      throw ProblemException.invalid("ttlSeconds", "is required");
    }
    long ttl = body.optWholeNumber("ttlSeconds", 1, ReserveRequest.MAX_TTL.toSeconds());
    ConsumeRequest consume = Wire.consume(body, idempotencyKey(ctx), scope(ctx));
    ReserveRequest request = Body.within("", () -> new ReserveRequest(consume, Duration.ofSeconds(ttl)));
    long start = System.nanoTime();
    ConsumeResult result = engine.reserve(request);
    metrics.decisionTime("reserve", Duration.ofNanos(System.nanoTime() - start));
    Map<String, Object> out;
    if (result instanceof Reserved r) {
      metrics.decision("reserve", "allowed");
      out = Wire.decision(r.decision());
      out.put("reservationId", r.reservationId());
      out.put("expiresAt", r.expiresAt());
      if (r.decision().replayed()) {
        ctx.header(IDEMPOTENT_REPLAYED, "true");
      }
    } else {
      Decision d = decided(result);
      metrics.decision("reserve", outcome(d));
      out = Wire.decision(d);
      out.put("reservationId", null);
      out.put("expiresAt", null);
      if (d.replayed()) {
        ctx.header(IDEMPOTENT_REPLAYED, "true");
      }
    }
    json(ctx, 200, out);
  }

  private void commit(Context ctx) {
    String id = reservationId(ctx);
    Body body = body(ctx, false).only(Set.of("amounts"));
    Map<String, Long> actual = null;
    Body amounts = body.optObject("amounts");
    if (amounts != null) {
      actual = new LinkedHashMap<>();
      for (String metric : amounts.fieldNames()) {
        if (!Names.METRIC.matcher(metric).matches()) {
          throw ProblemException.invalid(amounts.field(metric), "is not a metric name: must match [a-z0-9_.-]{1,64}");
        }
        actual.put(metric, amounts.wholeNumber(metric, 0, false));
      }
    }
    Map<String, Long> a = actual;
    settle(ctx, Body.within("", () -> engine.commit(id, a, scope(ctx))));
  }

  private void release(Context ctx) {
    String id = reservationId(ctx);
    body(ctx, false).only(Set.of());
    settle(ctx, engine.release(id, scope(ctx)));
  }

  private void settle(Context ctx, ReservationResult result) {
    switch (result) {
      case ReservationResult.Committed c -> json(ctx, 200, Wire.settled("committed", c.reservationId(), c.eventId(), c.items()));
      case ReservationResult.Released r -> json(ctx, 200, Wire.settled("released", r.reservationId(), r.eventId(), r.items()));
      case ReservationResult.Closed c -> throw new ProblemException(ProblemType.RESERVATION_CLOSED,
          "reservation " + c.reservationId() + " is already " + c.state(), null, Map.of("state", c.state()));
    }
  }

  private void usage(Context ctx) {
    json(ctx, 200, Wire.status(engine.status(subjectId(ctx))));
  }

  // ---- administration ----

  private void plans(Context ctx) {
    json(ctx, 200, Map.of("plans", engine.plans().stream().map(Wire::plan).toList()));
  }

  private void putPlan(Context ctx) {
    String name = ctx.pathParam("name");
    Body.within("", () -> Names.requireName(name, "name"));
    Body body = body(ctx, true).only(Set.of("limits"));
    Plan plan = Wire.plan(name, body.object("limits"));
    json(ctx, 200, Wire.plan(engine.putPlan(plan, scope(ctx))));
  }

  private void getPlan(Context ctx) {
    String name = ctx.pathParam("name");
    Body.within("", () -> Names.requireName(name, "name"));
    Plan plan = engine.plan(name).orElseThrow(() -> new io.quotient.NotFoundException("plan", name));
    json(ctx, 200, Wire.plan(plan));
  }

  private void putSubject(Context ctx) {
    String id = subjectId(ctx);
    Body body = body(ctx, true).only(Set.of("plan", "billingAnchor", "metadata"));
    Optional<Subject> existing = engine.subject(id);
    String plan = body.optString("plan");
    if (plan == null) {
      plan = existing.map(Subject::plan).orElse(limits.defaultPlan());
    }
    java.time.Instant anchor = body.optInstant("billingAnchor");
    if (anchor == null) {
      anchor = existing.map(Subject::billingAnchor).orElse(clock.instant());
    }
    Map<String, String> metadata = body.optMetadata("metadata");
    if (metadata == null) {
      metadata = existing.map(Subject::metadata).orElse(Map.of());
    }
    String p = plan;
    java.time.Instant a = anchor;
    Map<String, String> m = metadata;
    Subject subject = Body.within("", () -> new Subject(id, p, a, m));
    json(ctx, 200, Wire.subject(engine.putSubject(subject, scope(ctx))));
  }

  private void getSubject(Context ctx) {
    String id = subjectId(ctx);
    Subject subject = engine.subject(id).orElseThrow(() -> new io.quotient.NotFoundException("subject", id));
    json(ctx, 200, Wire.subject(subject));
  }

  private void grant(Context ctx) {
    String id = subjectId(ctx);
    Body body = body(ctx, true).only(Set.of("metric", "amount", "expiresAt", "reason"));
    String metric = body.string("metric");
    long amount = body.amount("amount");
    java.time.Instant expiresAt = body.optInstant("expiresAt");
    String reason = body.optString("reason");
    GrantRequest request = Body.within("", () -> new GrantRequest(id, metric, amount, expiresAt, reason));
    json(ctx, 201, Wire.grant(engine.grant(request, scope(ctx))));
  }

  private void grants(Context ctx) {
    json(ctx, 200, Map.of("grants", engine.grants(subjectId(ctx)).stream().map(Wire::grant).toList()));
  }

  private void reset(Context ctx) {
    String id = subjectId(ctx);
    Body body = body(ctx, false).only(Set.of("metric"));
    String metric = body.optString("metric");
    if (metric != null) {
      Body.within("", () -> Names.requireName(metric, "metric"));
    }
    long eventId = engine.reset(id, metric, scope(ctx));
    json(ctx, 200, Map.of("eventId", Long.toString(eventId)));
  }

  private void token(Context ctx) {
    String id = subjectId(ctx);
    Body body = body(ctx, false).only(Set.of("ttlSeconds"));
    Long ttl = body.optWholeNumber("ttlSeconds", 1, SubjectTokens.MAX_TTL.toSeconds());
    SubjectTokens.IssuedToken token =
        tokens.issue(id, ttl == null ? SubjectTokens.DEFAULT_TTL : Duration.ofSeconds(ttl));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("token", token.token());
    out.put("subject", token.subject());
    out.put("expiresAt", token.expiresAt());
    json(ctx, 201, out);
  }

  private void events(Context ctx) {
    Set<String> known = Set.of("subject", "type", "after", "limit");
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
    String subject = blankToNull(ctx.queryParam("subject"));
    String typeName = blankToNull(ctx.queryParam("type"));
    EventType type = null;
    if (typeName != null) {
      type = EventType.fromWireName(typeName);
      if (type == null) {
        throw ProblemException.invalid("type", "must be one of "
            + Arrays.stream(EventType.values()).map(EventType::wireName).toList() + ", was '" + typeName + "'");
      }
    }
    int limit = (int) queryNumber(ctx, "limit", 1, EventQuery.MAX_LIMIT, 100);
    EventType t = type;
    EventQuery query = Body.within("", () -> new EventQuery(subject, t, FeedCursor.parse(ctx.queryParam("after")), limit));
    EventPage page = engine.events(query);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", page.events().stream().map(Wire::event).toList());
    out.put("nextCursor", page.nextCursor().toString());
    json(ctx, 200, out);
  }

  private void createKey(Context ctx) {
    Body body = body(ctx, true).only(Set.of("name", "role"));
    String name = body.string("name");
    String roleName = body.string("role");
    Role role = Role.fromWireName(roleName);
    if (role == null) {
      throw ProblemException.invalid("role", "must be admin, service or read, was '" + roleName + "'");
    }
    ApiKeys.IssuedKey issued = Body.within("", () -> keys.create(name, role));
    Map<String, Object> out = Wire.key(issued.info());
    out.put("key", issued.key());
    json(ctx, 201, out);
  }

  private void listKeys(Context ctx) {
    json(ctx, 200, Map.of("keys", keys.list().stream().map(Wire::key).toList()));
  }

  private void revokeKey(Context ctx) {
    String id = ctx.pathParam("id");
    Body.within("", () -> Names.requireId(id, "id"));
    json(ctx, 200, Wire.key(keys.revoke(id)));
  }

  // ---- operations ----

  private void ready(Context ctx) {
    boolean database;
    try (Connection connection = dataSource.getConnection()) {
      database = connection.isValid(2);
    } catch (SQLException | RuntimeException e) {
      database = false;
    }
    boolean up = database && accepting.getAsBoolean();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", up ? "up" : "down");
    out.put("database", database ? "up" : "down");
    out.put("accepting", accepting.getAsBoolean());
    json(ctx, up ? 200 : 503, out);
  }

  // ---- input ----

  /**
   * The request body as a JSON object. Checks, in order: size (413), media type (415), syntax
   * (400). An optional body may be empty, with or without a media type.
   */
  private Body body(Context ctx, boolean required) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limits.maxBodyBytes()) {
      discardBody(ctx);
      throw tooLarge();
    }
    byte[] bytes;
    try {
      bytes = ctx.req().getInputStream().readNBytes(limits.maxBodyBytes() + 1);
    } catch (IOException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body could not be read: " + e.getMessage());
    }
    if (bytes.length > limits.maxBodyBytes()) {
      discardBody(ctx);
      throw tooLarge();
    }
    if (bytes.length == 0 && !required) {
      return Body.empty();
    }
    String type = ctx.header("Content-Type");
    if (!isJson(type)) {
      throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "the body must be application/json, was " + (type == null ? "none" : "'" + type + "'"), "Content-Type");
    }
    return Body.parse(bytes);
  }

  /**
   * Reads and drops what is left of an oversized body (up to {@value #DISCARD_LIMIT} bytes), so
   * that a client still sending it reads the 413 instead of a connection reset. Past that limit
   * the connection is closed with the answer; a failure to read changes nothing about the answer.
   */
  private static void discardBody(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      long left = DISCARD_LIMIT;
      int read;
      while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= read;
      }
    } catch (IOException e) {
      // The client stopped sending: the 413 is still the answer.
    }
  }

  private static final long DISCARD_LIMIT = 16L << 20;

  private ProblemException tooLarge() {
    return new ProblemException(ProblemType.BODY_TOO_LARGE,
        "the body is larger than " + limits.maxBodyBytes() + " bytes", null, Map.of("maxBytes", limits.maxBodyBytes()));
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
  }

  private static String idempotencyKey(Context ctx) {
    String key = ctx.header(IDEMPOTENCY_KEY);
    if (key == null) {
      return null;
    }
    // The IETF draft sends the key as a structured-field string ("abc"); plain keys are accepted too.
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    String k = key;
    return Body.within("", () -> Names.requireId(k, IDEMPOTENCY_KEY));
  }

  private static String subjectId(Context ctx) {
    String id = ctx.pathParam("id");
    return Body.within("", () -> Names.requireId(id, "id"));
  }

  private static String reservationId(Context ctx) {
    String id = ctx.pathParam("id");
    return Body.within("", () -> Names.requireId(id, "id"));
  }

  private static String scope(Context ctx) {
    Credential credential = Authenticator.credential(ctx);
    return credential.scope();
  }

  private static long queryNumber(Context ctx, String name, long min, long max, long fallback) {
    String value = blankToNull(ctx.queryParam(name));
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        throw ProblemException.invalid(name, "must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw ProblemException.invalid(name, "must be a whole number, was '" + value + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  // ---- output ----

  /** A decision, or the problem an idempotency outcome stands for. */
  static Decision decided(ConsumeResult result) {
    return switch (result) {
      case Decision d -> d;
      case IdempotencyMismatch m -> throw mismatch(m, IDEMPOTENCY_KEY);
      case IdempotencyInFlight f -> throw inFlight(f, IDEMPOTENCY_KEY);
      case Reserved r -> throw new IllegalStateException("the engine answered with a reservation where none was asked");
    };
  }

  private static ProblemException mismatch(IdempotencyMismatch m, String field) {
    return new ProblemException(ProblemType.IDEMPOTENCY_KEY_MISMATCH,
        "idempotency key '" + m.idempotencyKey() + "' was used before with other parameters", field);
  }

  private static ProblemException inFlight(IdempotencyInFlight f, String field) {
    return new ProblemException(ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT,
        "a request with idempotency key '" + f.idempotencyKey() + "' is still being decided; retry shortly", field);
  }

  private static Map<String, Object> problemBody(ProblemException e) {
    Problem p = e.problem();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", p.type());
    out.put("title", p.title());
    out.put("status", p.status());
    out.put("detail", p.detail());
    out.put("field", p.field());
    return out;
  }

  private static String outcome(Decision decision) {
    return decision.allowed() ? "allowed" : decision.reason().wireName();
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(Body.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an answer could not be written as JSON", e);
    }
  }

  /** The route template of a handler, for metrics; {@code unmatched} when none matched. */
  public static String routeOf(Context ctx) {
    try {
      var endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
