package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quotient.api.BatchRequest;
import io.quotient.api.BatchResponse;
import io.quotient.api.BatchResult;
import io.quotient.api.CommitRequest;
import io.quotient.api.ConsumeRequest;
import io.quotient.api.Decision;
import io.quotient.api.EventPage;
import io.quotient.api.Grant;
import io.quotient.api.GrantRequest;
import io.quotient.api.Grants;
import io.quotient.api.Headers;
import io.quotient.api.Health;
import io.quotient.api.IssuedKey;
import io.quotient.api.Key;
import io.quotient.api.KeyRequest;
import io.quotient.api.Keys;
import io.quotient.api.Plan;
import io.quotient.api.PlanRequest;
import io.quotient.api.Recommendation;
import io.quotient.api.SubjectAnalytics;
import io.quotient.api.NearLimitPage;
import io.quotient.api.DenialRates;
import io.quotient.api.UsageDistribution;
import io.quotient.api.TopConsumers;
import io.quotient.api.Plans;
import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import io.quotient.api.Refund;
import io.quotient.api.RefundRequest;
import io.quotient.api.Reservation;
import io.quotient.api.ReserveDecision;
import io.quotient.api.ReserveRequest;
import io.quotient.api.Reset;
import io.quotient.api.ResetRequest;
import io.quotient.api.Risk;
import io.quotient.api.Risks;
import io.quotient.api.SignalRules;
import io.quotient.api.Settlement;
import io.quotient.api.Subject;
import io.quotient.api.SubjectRequest;
import io.quotient.api.Token;
import io.quotient.api.TokenRequest;
import io.quotient.api.Usage;
import io.quotient.api.IssuedWebhook;
import io.quotient.api.Webhook;
import io.quotient.api.WebhookDeliveries;
import io.quotient.api.WebhookDelivery;
import io.quotient.api.WebhookRequest;
import io.quotient.api.Webhooks;
import io.quotient.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every route's real answers, successes and problems, checked against the OpenAPI document the
 * server serves, with a real validator (Atlassian's openapi-request-validator). Request bodies are
 * written from the {@code io.quotient.api} request records and checked against the document too;
 * answers are read back into the answer records, strictly (an unknown member fails). The last test
 * checks that every credentialed route had at least one success and one problem checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {
  static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
  /** Routes that need no credential: they fail only while the server stops, so only successes are checked. */
  static final Set<String> PUBLIC = Set.of("GET /v1/openapi.json", "GET /health/live", "GET /health/ready", "GET /metrics");

  static TestServer server;
  static String service;
  static String read;
  static OpenApiInteractionValidator validator;
  static final Map<String, Set<String>> checked = new TreeMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
    read = server.createKey("read");
    TestServer.Response doc = server.get("/v1/openapi.json", null);
    assertThat(doc.status()).isEqualTo(200);
    validator = OpenApiInteractionValidator.createForInlineApiSpecification(doc.body()).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One exchange: sent for real, its answer (and, when {@code validRequest}, its request) validated. */
  private static TestServer.Response call(
      String method, String template, String path, String key, Object body, Map<String, String> headers,
      boolean validRequest) {
    String json = body == null ? null : body instanceof String s ? s : write(body);
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (json != null) {
      all.putIfAbsent("Content-Type", Headers.JSON);
    }
    TestServer.Response response = server.send(method, path, key, json, all);

    String[] pathAndQuery = path.split("\\?", 2);
    SimpleRequest.Builder request = new SimpleRequest.Builder(method, pathAndQuery[0]);
    if (pathAndQuery.length > 1) {
      for (String pair : pathAndQuery[1].split("&")) {
        String[] kv = pair.split("=", 2);
        request.withQueryParam(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    all.forEach(request::withHeader);
    if (key != null) {
      request.withAuthorization("Bearer " + key);
    }
    if (json != null) {
      request.withBody(json);
    }
    SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.status()).withBody(response.body());
    response.headers().map().forEach((name, values) -> {
      if (!name.equals(":status")) {
        answer.withHeader(name, values);
      }
    });
    // The validator wants a Content-Type on a request without a body where the body is optional
    // (commit, release, reset, tokens): those requests are sent, and their answers checked, without it.
    boolean checkRequest = validRequest && (json != null || method.equals("GET") || method.equals("DELETE"));
    ValidationReport report = checkRequest
        ? validator.validate(request.build(), answer.build())
        : validator.validateResponse(pathAndQuery[0], Request.Method.valueOf(method), answer.build());
    assertThat(report.getMessages()).as(method + " " + path + " -> " + response).isEmpty();
    checked.computeIfAbsent(method + " " + template, k -> new TreeSet<>())
        .add(response.status() < 400 ? "success" : "problem");
    return response;
  }

  private static TestServer.Response call(String method, String template, String path, String key, Object body) {
    return call(method, template, path, key, body, Map.of(), true);
  }

  /** A refused request: only the answer is checked against the document. */
  private static Problem refused(String method, String template, String path, String key, Object body, int status,
      ProblemType type) {
    TestServer.Response r = call(method, template, path, key, body, Map.of(), false);
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith(Headers.PROBLEM_JSON);
    Problem problem = read(r, Problem.class);
    assertThat(problem.problemType()).isEqualTo(type);
    return problem;
  }

  private static <T> T ok(TestServer.Response r, int status, Class<T> type) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    return read(r, type);
  }

  private static <T> T read(TestServer.Response r, Class<T> type) {
    try {
      return JSON.readValue(r.body(), type);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not a " + type.getSimpleName() + ": " + r, e);
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(1)
  void consume_check_and_batch() {
    String t = "/v1/consume";
    Decision d = ok(call("POST", t, t, service, ConsumeRequest.of("oa-1", "ai_generations", 1),
        Map.of(Headers.IDEMPOTENCY_KEY, "oa-k1"), true), 200, Decision.class);
    assertThat(d.allowed()).isTrue();
    TestServer.Response replay = call("POST", t, t, service, ConsumeRequest.of("oa-1", "ai_generations", 1),
        Map.of(Headers.IDEMPOTENCY_KEY, "oa-k1"), true);
    assertThat(replay.headers().firstValue(Headers.IDEMPOTENT_REPLAYED)).contains("true");
    // The denial whose windowStart and limit are null: the document must say they can be.
    Decision notInPlan = ok(call("POST", t, t, service, ConsumeRequest.of("oa-1", "messages", 1)), 200, Decision.class);
    assertThat(notInPlan.reason()).isEqualTo("metric_not_in_plan");
    assertThat(notInPlan.items().get(0).windowStart()).isNull();
    ok(call("POST", t, t, service, ConsumeRequest.ofItems("oa-1", List.of(new ConsumeRequest.Item("exports", 1),
        new ConsumeRequest.Item("projects", 1))).withMetadata(Map.of("tool", "x"))), 200, Decision.class);
    refused("POST", t, t, service, "{\"subject\":\"oa-1\",\"metric\":\"exports\",\"amount\":0}", 422, ProblemType.INVALID_FIELD);
    refused("POST", t, t, service, "{\"subject\":", 400, ProblemType.MALFORMED_JSON);
    refused("POST", t, t, null, ConsumeRequest.of("oa-1", "exports", 1), 401, ProblemType.UNAUTHORIZED);
    TestServer.Response mismatch = call("POST", t, t, service, ConsumeRequest.of("oa-1", "ai_generations", 2),
        Map.of(Headers.IDEMPOTENCY_KEY, "oa-k1"), false);
    assertThat(read(mismatch, Problem.class).problemType()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_MISMATCH);

    String c = "/v1/check";
    ok(call("POST", c, c, service, ConsumeRequest.of("oa-1", "ai_generations", 1)), 200, Decision.class);
    refused("POST", c, c, service, "{\"subject\":\"oa-1\",\"metric\":\"exports\",\"amount\":1,\"colour\":1}", 422,
        ProblemType.UNKNOWN_FIELD);

    String b = "/v1/consume/batch";
    BatchRequest batch = new BatchRequest(List.of(
        BatchRequest.Entry.of(ConsumeRequest.of("oa-2", "ai_generations", 1), "oa-b1"),
        BatchRequest.Entry.of(ConsumeRequest.of("oa-3", "ai_generations", 1), null)));
    ok(call("POST", b, b, service, batch), 200, BatchResponse.class);
    BatchResponse again = ok(call("POST", b, b, service, new BatchRequest(List.of(
        BatchRequest.Entry.of(ConsumeRequest.of("oa-2", "ai_generations", 5), "oa-b1")))), 200, BatchResponse.class);
    assertThat(again.results().get(0)).isInstanceOfSatisfying(BatchResult.Failed.class,
        f -> assertThat(f.error().field()).isEqualTo("requests[0].idempotencyKey"));
    refused("POST", b, b, service, "{\"requests\":[]}", 422, ProblemType.INVALID_FIELD);
  }

  @Test
  @Order(2)
  void refunds() {
    String t = "/v1/refunds";
    Decision d = ok(call("POST", "/v1/consume", "/v1/consume", service, ConsumeRequest.of("oa-r", "ai_generations", 2)),
        200, Decision.class);
    Refund refund = ok(call("POST", t, t, service, RefundRequest.ofEvent(d.eventId(), 1L)), 200, Refund.class);
    assertThat(refund.items().get(0).amount()).isEqualTo(1);
    Problem tooMuch = refused("POST", t, t, service, RefundRequest.ofEvent(d.eventId(), 2L), 409, ProblemType.NOT_REFUNDABLE);
    assertThat(tooMuch.extensions()).containsEntry("refundable", 1);
    refused("POST", t, t, service, RefundRequest.ofEvent("999999999", null), 404, ProblemType.NOT_FOUND);
  }

  @Test
  @Order(3)
  void reservations() {
    String t = "/v1/reservations";
    ReserveDecision held = ok(call("POST", t, t, service, ReserveRequest.of(ConsumeRequest.of("oa-res", "ai_generations", 3), 60),
        Map.of(Headers.IDEMPOTENCY_KEY, "oa-res-1"), true), 200, ReserveDecision.class);
    assertThat(held.reservationId()).isNotNull();
    ReserveDecision denied = ok(call("POST", t, t, service, ReserveRequest.of(ConsumeRequest.of("oa-res", "ai_generations", 50), 60)),
        200, ReserveDecision.class);
    assertThat(denied.reservationId()).isNull();
    refused("POST", t, t, service, "{\"subject\":\"oa-res\",\"metric\":\"exports\",\"amount\":1}", 422, ProblemType.INVALID_FIELD);

    String one = "/v1/reservations/{id}";
    Reservation r = ok(call("GET", one, "/v1/reservations/" + held.reservationId(), service, null), 200, Reservation.class);
    assertThat(r.state()).isEqualTo("held");
    refused("GET", one, "/v1/reservations/nope", service, null, 404, ProblemType.NOT_FOUND);

    String commit = "/v1/reservations/{id}/commit";
    String path = "/v1/reservations/" + held.reservationId() + "/commit";
    refused("POST", commit, path, service, CommitRequest.of("ai_generations", 4), 422, ProblemType.INVALID_FIELD);
    Settlement settled = ok(call("POST", commit, path, service, CommitRequest.of("ai_generations", 2)), 200, Settlement.class);
    assertThat(settled.items().get(0).committed()).isEqualTo(2);
    Problem closed = refused("POST", commit, path, service, CommitRequest.everything(), 409, ProblemType.RESERVATION_CLOSED);
    assertThat(closed.extensions()).containsEntry("state", "committed");

    String release = "/v1/reservations/{id}/release";
    ReserveDecision second = ok(call("POST", t, t, service, ReserveRequest.of(ConsumeRequest.of("oa-res", "ai_generations", 1), 60)),
        200, ReserveDecision.class);
    ok(call("POST", release, "/v1/reservations/" + second.reservationId() + "/release", service, null), 200, Settlement.class);
    refused("POST", release, "/v1/reservations/nope/release", service, null, 404, ProblemType.NOT_FOUND);
  }

  @Test
  @Order(4)
  void usage_plans_and_subjects() {
    String u = "/v1/subjects/{id}/usage";
    ok(call("POST", "/v1/consume", "/v1/consume", service, ConsumeRequest.of("oa-u", "exports", 1)), 200, Decision.class);
    Usage usage = ok(call("GET", u, "/v1/subjects/oa-u/usage", service, null), 200, Usage.class);
    assertThat(usage.metrics()).isNotEmpty();
    refused("GET", u, "/v1/subjects/oa-u/usage", "qk_unknown-key-000000000000000000000", null, 401, ProblemType.UNAUTHORIZED);

    ok(call("GET", "/v1/plans", "/v1/plans", read, null), 200, Plans.class);
    refused("GET", "/v1/plans", "/v1/plans", service, null, 403, ProblemType.FORBIDDEN);
    String p = "/v1/plans/{name}";
    PlanRequest plan = new PlanRequest(Map.of("exports", new Plan.Limit(5L, "day", "soft", new Plan.Price("0.10", "EUR"),
        new Plan.Rate(2, 4)), "projects", Plan.Limit.hard(null, "total")), new Plan.PlanPrice("19.00", "USD", "month"),
        "https://example.com/upgrade");
    ok(call("PUT", p, "/v1/plans/oa-plan", ADMIN_KEY, plan), 200, Plan.class);
    refused("PUT", p, "/v1/plans/oa-plan", ADMIN_KEY, "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"week\"}}}", 422,
        ProblemType.INVALID_FIELD);
    ok(call("GET", p, "/v1/plans/oa-plan", read, null), 200, Plan.class);
    refused("GET", p, "/v1/plans/nope", read, null, 404, ProblemType.NOT_FOUND);

    String s = "/v1/subjects/{id}";
    ok(call("PUT", s, "/v1/subjects/oa-s", ADMIN_KEY, new SubjectRequest("oa-plan", Instant.parse("2026-01-31T00:00:00Z"),
        Map.of("team", "core"))), 200, Subject.class);
    refused("PUT", s, "/v1/subjects/oa-s", ADMIN_KEY, SubjectRequest.onPlan("platinum"), 404, ProblemType.NOT_FOUND);
    ok(call("GET", s, "/v1/subjects/oa-s", read, null), 200, Subject.class);
    refused("GET", s, "/v1/subjects/nobody", read, null, 404, ProblemType.NOT_FOUND);
  }

  @Test
  @Order(5)
  void grants_resets_and_tokens() {
    String g = "/v1/subjects/{id}/grants";
    ok(call("POST", g, "/v1/subjects/oa-s/grants", ADMIN_KEY,
        new GrantRequest("exports", 3, Instant.parse("2099-01-01T00:00:00Z"), "promo")), 201, Grant.class);
    ok(call("POST", g, "/v1/subjects/oa-s/grants", ADMIN_KEY, new GrantRequest("exports", 1, null, null)), 201, Grant.class);
    refused("POST", g, "/v1/subjects/oa-s/grants", ADMIN_KEY, "{\"metric\":\"exports\",\"amount\":-1}", 422, ProblemType.INVALID_FIELD);
    assertThat(ok(call("GET", g, "/v1/subjects/oa-s/grants", read, null), 200, Grants.class).grants()).hasSize(2);
    refused("GET", g, "/v1/subjects/oa-s/grants", service, null, 403, ProblemType.FORBIDDEN);

    String r = "/v1/subjects/{id}/reset";
    ok(call("POST", r, "/v1/subjects/oa-s/reset", ADMIN_KEY, new ResetRequest("exports")), 200, Reset.class);
    ok(call("POST", r, "/v1/subjects/oa-s/reset", ADMIN_KEY, null), 200, Reset.class);
    refused("POST", r, "/v1/subjects/oa-s/reset", service, null, 403, ProblemType.FORBIDDEN);

    String tk = "/v1/subjects/{id}/tokens";
    Token token = ok(call("POST", tk, "/v1/subjects/oa-s/tokens", ADMIN_KEY, new TokenRequest(60L)), 201, Token.class);
    refused("POST", tk, "/v1/subjects/oa-s/tokens", ADMIN_KEY, "{\"ttlSeconds\":0}", 422, ProblemType.INVALID_FIELD);
    // A subject token reads its own usage, and nothing else.
    ok(call("GET", "/v1/subjects/{id}/usage", "/v1/subjects/oa-s/usage", token.token(), null), 200, Usage.class);
    refused("GET", "/v1/subjects/{id}/usage", "/v1/subjects/oa-u/usage", token.token(), null, 403, ProblemType.FORBIDDEN);
  }

  @Test
  @Order(6)
  void signals_and_risk() throws InterruptedException {
    // Three idempotency conflicts make a race signal: the risk answer then has a signal to check.
    String t = "/v1/consume";
    for (int i = 1; i <= 4; i++) {
      server.postWithKey(t, service, "oa-race", "{\"subject\":\"oa-1\",\"metric\":\"exports\",\"amount\":" + i + "}");
    }
    io.quotient.testing.Eventually.await("the conflicts are reported", java.time.Duration.ofSeconds(20),
        () -> server.get("/v1/subjects/oa-1/risk", read).json().get("signals").size() > 0);
    Risk risk = ok(call("GET", "/v1/subjects/{id}/risk", "/v1/subjects/oa-1/risk", read, null), 200, Risk.class);
    assertThat(risk.signals()).isNotEmpty();
    refused("GET", "/v1/subjects/{id}/risk", "/v1/subjects/oa-nobody/risk", read, null, 404, ProblemType.NOT_FOUND);
    ok(call("GET", "/v1/risk", "/v1/risk?min=1", read, null), 200, Risks.class);
    refused("GET", "/v1/risk", "/v1/risk?min=101", read, null, 422, ProblemType.INVALID_FIELD);
    String r = "/v1/signal-rules";
    SignalRules rules = ok(call("GET", r, r, read, null), 200, SignalRules.class);
    refused("GET", r, r, service, null, 403, ProblemType.FORBIDDEN);
    ok(call("PUT", r, r, ADMIN_KEY, rules), 200, SignalRules.class);
    refused("PUT", r, r, ADMIN_KEY, "{\"denialBurst\":{\"count\":1}}", 422, ProblemType.INVALID_FIELD);
  }

  @Test
  @Order(6)
  void events_and_keys() throws InterruptedException {
    String e = "/v1/events";
    // The feed shows an event once every older transaction on the PostgreSQL server has ended, so
    // work of other schemas on a shared server can hold the first page back for a moment.
    EventPage[] first = new EventPage[1];
    Eventually.await("a full first page of the feed", Duration.ofSeconds(10),
        () -> (first[0] = ok(call("GET", e, "/v1/events?limit=5", read, null), 200, EventPage.class)).events().size() == 5);
    EventPage page = first[0];
    ok(call("GET", e, "/v1/events?limit=5&after=" + page.nextCursor(), read, null), 200, EventPage.class);
    ok(call("GET", e, "/v1/events?type=consume&subject=oa-1", read, null), 200, EventPage.class);
    refused("GET", e, "/v1/events?colour=red", read, null, 422, ProblemType.UNKNOWN_FIELD);

    IssuedKey issued = ok(call("POST", "/v1/keys", "/v1/keys", ADMIN_KEY, new KeyRequest("oa", "read")), 201, IssuedKey.class);
    refused("POST", "/v1/keys", "/v1/keys", ADMIN_KEY, "{\"name\":\"oa\",\"role\":\"owner\"}", 422, ProblemType.INVALID_FIELD);
    ok(call("GET", "/v1/keys", "/v1/keys", ADMIN_KEY, null), 200, Keys.class);
    refused("GET", "/v1/keys", "/v1/keys", read, null, 403, ProblemType.FORBIDDEN);
    Key revoked = ok(call("DELETE", "/v1/keys/{id}", "/v1/keys/" + issued.id(), ADMIN_KEY, null), 200, Key.class);
    assertThat(revoked.revokedAt()).isNotNull();
    refused("DELETE", "/v1/keys/{id}", "/v1/keys/key_nope", ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);
  }

  @Test
  @Order(6)
  void the_dashboard_session() {
    String s = "/v1/session";
    TestServer.Response opened = call("POST", s, s, null, new io.quotient.api.SessionRequest(read));
    io.quotient.api.Session session = ok(opened, 201, io.quotient.api.Session.class);
    assertThat(session.role()).isEqualTo("read");
    refused("POST", s, s, null, "{\"key\":\"qk_never-issued-000000000000000000000000000\"}", 401, ProblemType.UNAUTHORIZED);
    String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    // The cookie is not a Bearer credential: only the answers are checked against the document.
    ok(call("GET", s, s, null, null, Map.of("Cookie", cookie), false), 200, io.quotient.api.Session.class);
    refused("GET", s, s, read, null, 404, ProblemType.NOT_FOUND);
    TestServer.Response out = call("DELETE", s, s, null, null, Map.of("Cookie", cookie, "X-CSRF-Token", session.csrfToken()), false);
    assertThat(out.status()).isEqualTo(204);
    refused("DELETE", s, s, read, null, 404, ProblemType.NOT_FOUND);
  }

  @Test
  @Order(6)
  void webhooks() {
    String w = "/v1/webhooks";
    IssuedWebhook issued = ok(call("POST", w, w, ADMIN_KEY,
        new WebhookRequest("http://127.0.0.1:9/contract", "slack", List.of("alert.triggered", "webhook.disabled"))), 201, IssuedWebhook.class);
    assertThat(issued.secret()).startsWith("whsec_");
    refused("POST", w, w, ADMIN_KEY, new WebhookRequest("ftp://example.com/x", "standard", List.of("quota.consumed")), 422,
        ProblemType.INVALID_FIELD);
    refused("POST", w, w, ADMIN_KEY, "{\"url\":\"http://127.0.0.1:9/x\",\"types\":[\"quota.eaten\"]}", 422, ProblemType.INVALID_FIELD);
    ok(call("GET", w, w, ADMIN_KEY, null), 200, Webhooks.class);
    refused("GET", w, w, read, null, 403, ProblemType.FORBIDDEN);
    String one = w + "/{id}";
    ok(call("GET", one, w + "/" + issued.id(), ADMIN_KEY, null), 200, Webhook.class);
    refused("GET", one, w + "/wh_none", ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);
    WebhookDelivery test = ok(call("POST", one + "/test", w + "/" + issued.id() + "/test", ADMIN_KEY, Map.of()), 202, WebhookDelivery.class);
    assertThat(test.type()).isEqualTo("webhook.test");
    refused("POST", one + "/test", w + "/wh_none/test", ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);
    IssuedWebhook rotated = ok(call("POST", one + "/rotate-secret", w + "/" + issued.id() + "/rotate-secret", ADMIN_KEY, Map.of()), 200,
        IssuedWebhook.class);
    assertThat(rotated.previousSecretExpiresAt()).isNotNull();
    refused("POST", one + "/rotate-secret", w + "/wh_none/rotate-secret", ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);
    String d = one + "/deliveries";
    assertThat(ok(call("GET", d, w + "/" + issued.id() + "/deliveries?limit=10", ADMIN_KEY, null), 200, WebhookDeliveries.class)
        .deliveries()).isNotEmpty();
    refused("GET", d, w + "/" + issued.id() + "/deliveries?limit=0", ADMIN_KEY, null, 422, ProblemType.INVALID_FIELD);
    ok(call("DELETE", one, w + "/" + issued.id(), ADMIN_KEY, null), 200, Webhook.class);
    refused("DELETE", one, w + "/" + issued.id(), ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);
  }

  @Test
  @Order(6)
  void analytics() {
    for (int i = 0; i < 9; i++) {
      ok(call("POST", "/v1/consume", "/v1/consume", service, ConsumeRequest.of("oa-an", "ai_generations", 1)), 200, Decision.class);
    }
    server.server.monitor().catchUp(java.time.Duration.ofSeconds(30));
    String a = "/v1/subjects/{id}/analytics";
    SubjectAnalytics analytics = ok(call("GET", a, "/v1/subjects/oa-an/analytics?days=7", read, null), 200, SubjectAnalytics.class);
    assertThat(analytics.metrics()).isNotEmpty();
    refused("GET", a, "/v1/subjects/oa-an/analytics?days=91", read, null, 422, ProblemType.INVALID_FIELD);
    String rec = "/v1/subjects/{id}/recommendation";
    Token token = ok(call("POST", "/v1/subjects/{id}/tokens", "/v1/subjects/oa-an/tokens", ADMIN_KEY, new TokenRequest(60L)), 201,
        Token.class);
    ok(call("GET", rec, "/v1/subjects/oa-an/recommendation", token.token(), null), 200, Recommendation.class);
    refused("GET", rec, "/v1/subjects/oa-u/recommendation", token.token(), null, 403, ProblemType.FORBIDDEN);
    String n = "/v1/analytics/near-limit";
    NearLimitPage near = ok(call("GET", n, "/v1/analytics/near-limit?min=80&limit=5", read, null), 200, NearLimitPage.class);
    assertThat(near.items()).extracting(NearLimitPage.Item::subject).contains("oa-an");
    refused("GET", n, "/v1/analytics/near-limit?min=80", token.token(), null, 403, ProblemType.FORBIDDEN);
    String d = "/v1/analytics/denials";
    assertThat(ok(call("GET", d, "/v1/analytics/denials?hours=3", read, null), 200, DenialRates.class).hours()).hasSize(3);
    refused("GET", d, "/v1/analytics/denials?hours=0", read, null, 422, ProblemType.INVALID_FIELD);
    String dist = "/v1/analytics/distribution";
    ok(call("GET", dist, "/v1/analytics/distribution?metric=ai_generations", read, null), 200, UsageDistribution.class);
    refused("GET", dist, "/v1/analytics/distribution", read, null, 422, ProblemType.INVALID_FIELD);
    String top = "/v1/analytics/top";
    ok(call("GET", top, "/v1/analytics/top?metric=ai_generations&limit=3", read, null), 200, TopConsumers.class);
    refused("GET", top, "/v1/analytics/top?metric=ai_generations&colour=red", read, null, 422, ProblemType.UNKNOWN_FIELD);
  }

  @Test
  @Order(6)
  void alerts_and_the_stream() throws Exception {
    String r = "/v1/alert-rules/{name}";
    io.quotient.api.AlertRule rule = ok(call("PUT", r, "/v1/alert-rules/oa-rule", ADMIN_KEY,
        new io.quotient.api.AlertRuleRequest("free", null, List.of(50, 90))), 200, io.quotient.api.AlertRule.class);
    assertThat(rule.thresholds()).containsExactly(50, 90);
    refused("PUT", r, "/v1/alert-rules/oa-bad", ADMIN_KEY, "{\"thresholds\":[0]}", 422, ProblemType.INVALID_FIELD);
    ok(call("GET", r, "/v1/alert-rules/oa-rule", read, null), 200, io.quotient.api.AlertRule.class);
    refused("GET", r, "/v1/alert-rules/oa-none", read, null, 404, ProblemType.NOT_FOUND);
    ok(call("GET", "/v1/alert-rules", "/v1/alert-rules", read, null), 200, io.quotient.api.AlertRules.class);
    refused("GET", "/v1/alert-rules", "/v1/alert-rules", service, null, 403, ProblemType.FORBIDDEN);
    assertThat(call("DELETE", r, "/v1/alert-rules/oa-rule", ADMIN_KEY, null).status()).isEqualTo(204);
    refused("DELETE", r, "/v1/alert-rules/oa-rule", ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);

    // oa-1 crossed thresholds of the free plan in the tests above.
    server.server.monitor().catchUp(java.time.Duration.ofSeconds(30));
    io.quotient.api.Alerts alerts = ok(call("GET", "/v1/alerts", "/v1/alerts?state=firing&limit=10", read, null), 200,
        io.quotient.api.Alerts.class);
    assertThat(alerts.alerts()).isNotEmpty();
    refused("GET", "/v1/alerts", "/v1/alerts?state=open", read, null, 422, ProblemType.INVALID_FIELD);

    // The stream never ends, so its success is checked on its head and first message, not by the validator.
    refused("GET", "/v1/stream", "/v1/stream?types=nope", read, null, 422, ProblemType.INVALID_FIELD);
    try (SseClient stream = new SseClient(server.server.port(), "/v1/stream", List.of("Authorization: Bearer " + read), 0)) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.contentType).startsWith("text/event-stream");
      server.post("/v1/consume", service, "{\"subject\":\"oa-stream\",\"metric\":\"ai_generations\",\"amount\":1}");
      JsonNode first = JSON.readTree(stream.next().data());
      assertThat(first.fieldNames()).toIterable().containsExactly("id", "type", "timestamp", "data");
      checked.computeIfAbsent("GET /v1/stream", k -> new TreeSet<>()).add("success");
    }
  }

  @Test
  @Order(7)
  void subject_listing_and_deletes() {
    String l = "/v1/subjects";
    io.quotient.api.SubjectPage page = ok(call("GET", l, "/v1/subjects?limit=2", read, null), 200, io.quotient.api.SubjectPage.class);
    assertThat(page.subjects()).hasSize(2);
    ok(call("GET", l, "/v1/subjects?plan=oa-plan&metadata=team=core&atShare=0.5&createdSince=2020-01-01T00:00:00Z", read,
        null), 200, io.quotient.api.SubjectPage.class);
    refused("GET", l, "/v1/subjects?atShare=lots", read, null, 422, ProblemType.INVALID_FIELD);

    String s = "/v1/subjects/{id}";
    Subject overridden = ok(call("PUT", s, "/v1/subjects/oa-s", ADMIN_KEY, SubjectRequest.withOverrides(Map.of(
        "exports", new Subject.OverrideRequest(50L, Instant.parse("2099-01-01T00:00:00Z")),
        "projects", new Subject.OverrideRequest(null, null)))), 200, Subject.class);
    assertThat(overridden.overrides()).hasSize(2);
    refused("PUT", s, "/v1/subjects/oa-s", ADMIN_KEY, "{\"overrides\":{\"messages\":{\"limit\":1}}}", 422, ProblemType.INVALID_FIELD);
    ok(call("GET", "/v1/subjects/{id}/usage", "/v1/subjects/oa-s/usage", read, null), 200, Usage.class);
    String p = "/v1/plans/{name}";
    refused("DELETE", p, "/v1/plans/oa-plan", ADMIN_KEY, null, 409, ProblemType.PLAN_IN_USE);
    assertThat(call("DELETE", s, "/v1/subjects/oa-s", ADMIN_KEY, null).status()).isEqualTo(204);
    refused("DELETE", s, "/v1/subjects/oa-s", ADMIN_KEY, null, 404, ProblemType.NOT_FOUND);
    assertThat(call("DELETE", p, "/v1/plans/oa-plan", ADMIN_KEY, null).status()).isEqualTo(204);

    String t = "/v1/transfers";
    ok(call("POST", t, t, service, new io.quotient.api.TransferRequest("oa-1", "oa-taker", "ai_generations", 1), Map.of("Idempotency-Key", "t-1"), true), 200,
        io.quotient.api.Transfer.class);
    refused("POST", t, t, service, new io.quotient.api.TransferRequest("oa-1", "oa-taker", "ai_generations", 1000), 409,
        ProblemType.INSUFFICIENT_UNITS);

    String r = "/v1/reports/overage";
    ok(call("GET", r, r + "?period=2026-11", read, null), 200, io.quotient.api.OverageReport.class);
    refused("GET", r, r + "?period=november", read, null, 422, ProblemType.INVALID_FIELD);
    String x = "/v1/exports/usage";
    call("GET", x, x + "?period=2026-11&format=json", read, null);
    assertThat(call("GET", x, x + "?period=2026-11&format=csv", read, null).status()).isEqualTo(200);
    refused("GET", x, x + "?period=2026-11&format=xml", read, null, 422, ProblemType.INVALID_FIELD);
  }

  @Test
  @Order(7)
  void operations() {
    call("GET", "/v1/openapi.json", "/v1/openapi.json", null, null);
    assertThat(ok(call("GET", "/health/live", "/health/live", null, null), 200, Health.class).status()).isEqualTo("up");
    assertThat(ok(call("GET", "/health/ready", "/health/ready", null, null), 200, Health.class).accepting()).isTrue();
    assertThat(call("GET", "/metrics", "/metrics", null, null).status()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void every_route_had_a_success_and_a_problem_checked() {
    List<String> missing = new ArrayList<>();
    for (String route : server.server.routes()) {
      Set<String> kinds = checked.getOrDefault(route, Set.of());
      Set<String> wanted = PUBLIC.contains(route) ? Set.of("success") : Set.of("success", "problem");
      if (!kinds.containsAll(wanted)) {
        missing.add(route + " " + kinds);
      }
    }
    assertThat(missing).as("routes whose answers were not all checked").isEmpty();
  }

  @Test
  @Order(10)
  void the_document_parses_without_a_message() {
    var options = new io.swagger.v3.parser.core.models.ParseOptions();
    options.setResolve(true);
    var result = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(
        server.get("/v1/openapi.json", null).body(), null, options);
    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
  }

  @Test
  @Order(9)
  void every_operation_has_an_id_and_every_route_is_documented_and_vice_versa() throws Exception {
    var paths = JSON.readTree(server.get("/v1/openapi.json", null).body()).get("paths");
    List<String> documented = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    paths.fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
      documented.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
      assertThat(m.getValue().path("operationId").asText()).as(m.getKey() + " " + p.getKey()).isNotBlank();
      ids.add(m.getValue().get("operationId").asText());
    }));
    assertThat(ids).hasSize(documented.size());
    assertThat(documented).containsExactlyInAnyOrderElementsOf(server.server.routes());
  }
}
