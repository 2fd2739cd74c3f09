package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route against every credential: the three roles, no credential, a revoked admin key, an
 * unknown key, and a subject token (for subject {@code s1}). A route a credential may use must not
 * answer 401 or 403; one it may not must answer exactly that.
 */
class RoleMatrixTest {
  static TestServer server;
  static final Map<String, String> credentials = new LinkedHashMap<>();

  /** A route with a request that reaches it, and the credentials it admits. */
  record Route(String method, String template, String path, String body, Set<String> allowed) {}

  static final Set<String> ENFORCE = Set.of("admin", "service");
  static final Set<String> USAGE = Set.of("admin", "service", "read", "token");
  static final Set<String> READ = Set.of("admin", "read");
  static final Set<String> ADMIN = Set.of("admin");
  static final Set<String> STREAM = Set.of("admin", "read", "token");
  static final Set<String> PUBLIC = Set.of("admin", "service", "read", "token", "none", "revoked", "unknown");
  static final String CONSUME = "{\"subject\":\"s1\",\"metric\":\"exports\",\"amount\":1}";

  static final List<Route> ROUTES = List.of(
      new Route("POST", "/v1/consume", "/v1/consume", CONSUME, ENFORCE),
      new Route("POST", "/v1/check", "/v1/check", CONSUME, ENFORCE),
      new Route("POST", "/v1/consume/batch", "/v1/consume/batch", "{\"requests\":[" + CONSUME + "]}", ENFORCE),
      new Route("POST", "/v1/refunds", "/v1/refunds", "{\"eventId\":\"1\"}", ENFORCE),
      new Route("POST", "/v1/reservations", "/v1/reservations", "{\"subject\":\"s1\",\"metric\":\"exports\",\"amount\":1,\"ttlSeconds\":5}", ENFORCE),
      new Route("GET", "/v1/reservations/{id}", "/v1/reservations/r-none", null, ENFORCE),
      new Route("POST", "/v1/reservations/{id}/commit", "/v1/reservations/r-none/commit", null, ENFORCE),
      new Route("POST", "/v1/reservations/{id}/release", "/v1/reservations/r-none/release", null, ENFORCE),
      new Route("GET", "/v1/subjects/{id}/usage", "/v1/subjects/s1/usage", null, USAGE),
      new Route("GET", "/v1/subjects/{id}/analytics", "/v1/subjects/s1/analytics", null, USAGE),
      new Route("GET", "/v1/subjects/{id}/recommendation", "/v1/subjects/s1/recommendation", null, USAGE),
      new Route("GET", "/v1/analytics/near-limit", "/v1/analytics/near-limit", null, READ),
      new Route("GET", "/v1/analytics/denials", "/v1/analytics/denials", null, READ),
      new Route("GET", "/v1/analytics/distribution", "/v1/analytics/distribution?metric=exports", null, READ),
      new Route("GET", "/v1/analytics/top", "/v1/analytics/top?metric=exports", null, READ),
      new Route("GET", "/v1/plans", "/v1/plans", null, READ),
      new Route("PUT", "/v1/plans/{name}", "/v1/plans/matrix", "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"day\"}}}", ADMIN),
      new Route("GET", "/v1/plans/{name}", "/v1/plans/free", null, READ),
      new Route("PUT", "/v1/subjects/{id}", "/v1/subjects/s1", "{\"plan\":\"free\"}", ADMIN),
      new Route("GET", "/v1/subjects/{id}", "/v1/subjects/s1", null, READ),
      new Route("POST", "/v1/subjects/{id}/grants", "/v1/subjects/s1/grants", "{\"metric\":\"exports\",\"amount\":1}", ADMIN),
      new Route("GET", "/v1/subjects/{id}/grants", "/v1/subjects/s1/grants", null, READ),
      new Route("POST", "/v1/subjects/{id}/reset", "/v1/subjects/s1/reset", null, ADMIN),
      new Route("POST", "/v1/subjects/{id}/tokens", "/v1/subjects/s1/tokens", null, ADMIN),
      new Route("GET", "/v1/events", "/v1/events", null, READ),
      new Route("GET", "/v1/subjects", "/v1/subjects", null, READ),
      new Route("DELETE", "/v1/subjects/{id}", "/v1/subjects/s-none", null, ADMIN),
      new Route("DELETE", "/v1/plans/{name}", "/v1/plans/p-none", null, ADMIN),
      new Route("POST", "/v1/transfers", "/v1/transfers", "{\"from\":\"s-none\",\"to\":\"s1\",\"metric\":\"exports\",\"amount\":1}", ENFORCE),
      new Route("GET", "/v1/reports/overage", "/v1/reports/overage?period=2026-11", null, READ),
      new Route("GET", "/v1/exports/usage", "/v1/exports/usage?period=2026-11", null, READ),
      new Route("GET", "/v1/alert-rules", "/v1/alert-rules", null, READ),
      new Route("PUT", "/v1/alert-rules/{name}", "/v1/alert-rules/matrix", "{\"thresholds\":[50]}", ADMIN),
      new Route("GET", "/v1/alert-rules/{name}", "/v1/alert-rules/none", null, READ),
      new Route("DELETE", "/v1/alert-rules/{name}", "/v1/alert-rules/none", null, ADMIN),
      new Route("GET", "/v1/alerts", "/v1/alerts", null, READ),
      // A stream that is let in never ends: the bad filter makes it answer (422) once let in.
      new Route("GET", "/v1/stream", "/v1/stream?types=nope", null, STREAM),
      new Route("GET", "/v1/signal-rules", "/v1/signal-rules", null, READ),
      new Route("PUT", "/v1/signal-rules", "/v1/signal-rules", "{}", ADMIN),
      new Route("GET", "/v1/subjects/{id}/risk", "/v1/subjects/s1/risk", null, READ),
      new Route("GET", "/v1/risk", "/v1/risk", null, READ),
      new Route("POST", "/v1/keys", "/v1/keys", "{\"name\":\"m\",\"role\":\"read\"}", ADMIN),
      new Route("GET", "/v1/keys", "/v1/keys", null, ADMIN),
      new Route("DELETE", "/v1/keys/{id}", "/v1/keys/key_none", null, ADMIN),
      new Route("POST", "/v1/webhooks", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/m\",\"types\":[\"webhook.disabled\"]}", ADMIN),
      new Route("GET", "/v1/webhooks", "/v1/webhooks", null, ADMIN),
      new Route("GET", "/v1/webhooks/{id}", "/v1/webhooks/wh_none", null, ADMIN),
      new Route("DELETE", "/v1/webhooks/{id}", "/v1/webhooks/wh_none", null, ADMIN),
      new Route("POST", "/v1/webhooks/{id}/test", "/v1/webhooks/wh_none/test", null, ADMIN),
      new Route("POST", "/v1/webhooks/{id}/rotate-secret", "/v1/webhooks/wh_none/rotate-secret", null, ADMIN),
      new Route("GET", "/v1/webhooks/{id}/deliveries", "/v1/webhooks/wh_none/deliveries", null, ADMIN),
      // Signing in is public (the key is in the body); "{}" lacks it, so everyone gets the same 422.
      new Route("POST", "/v1/session", "/v1/session", "{}", PUBLIC),
      // With a key rather than the cookie these answer 404: there is no session to show or end.
      new Route("GET", "/v1/session", "/v1/session", null, READ),
      new Route("DELETE", "/v1/session", "/v1/session", null, READ),
      new Route("GET", "/v1/openapi.json", "/v1/openapi.json", null, PUBLIC),
      new Route("GET", "/health/live", "/health/live", null, PUBLIC),
      new Route("GET", "/health/ready", "/health/ready", null, PUBLIC),
      new Route("GET", "/metrics", "/metrics", null, PUBLIC));

  @BeforeAll
  static void start() {
    server = TestServer.start();
    credentials.put("admin", TestServer.ADMIN_KEY);
    credentials.put("service", server.createKey("service"));
    credentials.put("read", server.createKey("read"));
    credentials.put("none", null);
    String revoked = server.createKey("admin");
    String revokedId = server.get("/v1/keys", TestServer.ADMIN_KEY).json().findValues("id").stream()
        .map(n -> n.asText()).reduce((a, b) -> b).orElseThrow();
    assertThat(server.delete("/v1/keys/" + revokedId, TestServer.ADMIN_KEY).status()).isEqualTo(200);
    credentials.put("revoked", revoked);
    credentials.put("unknown", "qk_this-key-was-never-issued-0000000000000");
    credentials.put("token", server.post("/v1/subjects/s1/tokens", TestServer.ADMIN_KEY, "{}").json().get("token").asText());
    sessions.put("admin", SessionTest.signIn(server, TestServer.ADMIN_KEY));
    sessions.put("read", SessionTest.signIn(server, credentials.get("read")));
  }

  static final Map<String, SessionTest.Cookie> sessions = new HashMap<>();

  static Stream<Arguments> sessionMatrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Route route : ROUTES) {
      // Signing out would end the session the next cases use: SessionTest covers it.
      if (!route.template().equals("/v1/session") || route.method().equals("GET")) {
        for (String role : List.of("admin", "read")) {
          cases.add(Arguments.of(route.method() + " " + route.template(), role, route));
        }
      }
    }
    return cases.stream();
  }

  /** A dashboard session (cookie and CSRF token) reaches exactly what its key's role reaches. */
  @ParameterizedTest(name = "{0} as a {1} session")
  @MethodSource("sessionMatrix")
  void a_session_reaches_exactly_its_keys_routes(String name, String role, Route route) {
    SessionTest.Cookie session = sessions.get(role);
    Map<String, String> headers = new HashMap<>(session.headers());
    if (route.body() != null) {
      headers.put("Content-Type", "application/json");
    }
    TestServer.Response r = server.send(route.method(), route.path(), null, route.body(), headers);
    if (route.allowed().contains(role)) {
      assertThat(r.status()).as(r.toString()).isNotIn(401, 403);
    } else {
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
      assertThat(r.problemType()).isEqualTo("forbidden");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Route route : ROUTES) {
      for (String credential : List.of("admin", "service", "read", "token", "none", "revoked", "unknown")) {
        cases.add(Arguments.of(route.method() + " " + route.template(), credential, route));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("matrix")
  void each_credential_reaches_exactly_its_routes(String name, String credential, Route route) {
    Map<String, String> headers = route.body() == null ? Map.of() : Map.of("Content-Type", "application/json");
    TestServer.Response r = server.send(route.method(), route.path(), credentials.get(credential), route.body(), headers);
    if (route.allowed().contains(credential)) {
      assertThat(r.status()).as(r.toString()).isNotIn(401, 403);
    } else if (Set.of("none", "revoked", "unknown").contains(credential)) {
      assertThat(r.status()).as(r.toString()).isEqualTo(401);
      assertThat(r.problemType()).isEqualTo("unauthorized");
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    } else {
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
      assertThat(r.problemType()).isEqualTo("forbidden");
    }
    if (r.status() >= 400) {
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
  }

  @Test
  void the_matrix_covers_every_registered_route() {
    List<String> covered = ROUTES.stream().map(r -> r.method() + " " + r.template()).toList();
    assertThat(covered).containsExactlyInAnyOrderElementsOf(server.server.routes());
  }
}
