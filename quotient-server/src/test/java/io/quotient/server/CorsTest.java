package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quotient.server.cors.Origin;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A page on a listed origin may call, from the browser, the routes a subject token may call: its
 * preflight is answered (with no credential) and its calls carry {@code Access-Control-Allow-Origin}.
 * Other origins, other routes and a server without the setting get no CORS headers.
 */
class CorsTest {
  static final String PAGE = "https://app.example.com";
  static final String LOCAL_PAGE = "http://localhost:5173";
  static TestServer server;
  static String token;

  @BeforeAll
  static void start() {
    server = TestServer.start(Clock.systemUTC(),
        c -> c.withCorsOrigins(List.of(Origin.parse(PAGE), Origin.parse(LOCAL_PAGE))));
    server.post("/v1/consume", server.createKey("service"), "{\"subject\":\"pia\",\"metric\":\"exports\",\"amount\":1}");
    TestServer.Response issued = server.post("/v1/subjects/pia/tokens", TestServer.ADMIN_KEY, "{}");
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    token = issued.json().get("token").asText();
  }

  @AfterAll
  static void stop() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.quotient");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      server.close();
    } finally {
      logger.detachAppender(logged);
    }
    // Every preflight answered was counted out of the drain, so the stop found none in flight.
    assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  static TestServer.Response preflight(TestServer on, String path, String origin, String method) {
    return on.send("OPTIONS", path, null, null, Map.of("Origin", origin, "Access-Control-Request-Method", method,
        "Access-Control-Request-Headers", "authorization"));
  }

  static TestServer.Response fromPage(TestServer on, String path, String origin, String key) {
    return on.send("GET", path, key, null, Map.of("Origin", origin));
  }

  static List<String> corsHeaders(HttpHeaders headers) {
    return headers.map().keySet().stream().filter(h -> h.toLowerCase().startsWith("access-control-")).toList();
  }

  @Test
  void a_listed_origin_preflight_is_answered_without_a_credential() {
    TestServer.Response r = preflight(server, "/v1/subjects/pia/usage", PAGE, "GET");
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    HttpHeaders h = r.headers();
    assertThat(h.firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
    assertThat(h.allValues("Vary")).anyMatch(v -> v.contains("Origin"));
    assertThat(h.firstValue("Access-Control-Allow-Methods")).hasValue("GET");
    assertThat(h.firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("authorization").contains("content-type");
    assertThat(h.firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(h.firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(h.firstValue("WWW-Authenticate")).isEmpty();
    // Each listed origin is echoed as itself.
    assertThat(preflight(server, "/v1/subjects/pia/usage", LOCAL_PAGE, "GET").headers()
        .firstValue("Access-Control-Allow-Origin")).hasValue(LOCAL_PAGE);
  }

  @Test
  void the_call_from_a_listed_origin_with_a_subject_token_is_readable_by_the_page() {
    TestServer.Response r = fromPage(server, "/v1/subjects/pia/usage", PAGE, token);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("subject").asText()).isEqualTo("pia");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
    assertThat(r.headers().allValues("Vary")).anyMatch(v -> v.contains("Origin"));
    // An expired or bad token's 401 is readable too, so the page can ask for a new one.
    TestServer.Response refused = fromPage(server, "/v1/subjects/pia/usage", PAGE, "qst_not-a-token");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
  }

  @Test
  void another_origin_gets_no_cors_headers_and_its_preflight_is_refused() {
    String other = "https://evil.example";
    TestServer.Response pre = preflight(server, "/v1/subjects/pia/usage", other, "GET");
    assertThat(pre.status()).as(pre.toString()).isEqualTo(403);
    assertThat(pre.problemType()).isEqualTo("forbidden");
    assertThat(pre.json().get("detail").asText()).contains(other).contains("QUOTIENT_CORS_ORIGINS");
    assertThat(corsHeaders(pre.headers())).isEmpty();
    // A listed origin's look-alikes are other origins.
    assertThat(corsHeaders(preflight(server, "/v1/subjects/pia/usage", "https://app.example.com:8443", "GET").headers())).isEmpty();
    assertThat(corsHeaders(preflight(server, "/v1/subjects/pia/usage", "http://app.example.com", "GET").headers())).isEmpty();

    TestServer.Response call = fromPage(server, "/v1/subjects/pia/usage", other, token);
    assertThat(call.status()).isEqualTo(200);
    assertThat(corsHeaders(call.headers())).isEmpty();
  }

  @Test
  void routes_a_subject_token_may_not_call_are_closed_to_pages_even_from_a_listed_origin() {
    for (String[] route : new String[][] {{"/v1/consume", "POST"}, {"/v1/subjects/pia", "GET"}, {"/v1/subjects/pia/usage", "DELETE"},
        {"/v1/keys", "GET"}}) {
      TestServer.Response r = preflight(server, route[0], PAGE, route[1]);
      assertThat(r.status()).as(route[1] + " " + route[0] + ": " + r).isEqualTo(403);
      assertThat(r.json().get("detail").asText()).contains("subject token");
      assertThat(corsHeaders(r.headers())).isEmpty();
    }
    TestServer.Response admin = fromPage(server, "/v1/plans", PAGE, TestServer.ADMIN_KEY);
    assertThat(admin.status()).isEqualTo(200);
    assertThat(corsHeaders(admin.headers())).isEmpty();
    // No route at all stays a 404.
    assertThat(preflight(server, "/v1/nothing-here", PAGE, "GET").status()).isEqualTo(404);
  }

  @Test
  void without_the_setting_there_is_no_cors() {
    try (TestServer plain = TestServer.start()) {
      TestServer.Response pre = preflight(plain, "/v1/subjects/pia/usage", PAGE, "GET");
      assertThat(pre.status()).as(pre.toString()).isEqualTo(403);
      assertThat(pre.json().get("detail").asText()).contains("QUOTIENT_CORS_ORIGINS");
      assertThat(corsHeaders(pre.headers())).isEmpty();
      TestServer.Response call = fromPage(plain, "/v1/subjects/pia/usage", PAGE, TestServer.ADMIN_KEY);
      assertThat(call.status()).isEqualTo(200);
      assertThat(corsHeaders(call.headers())).isEmpty();
      assertThat(call.headers().allValues("Vary")).noneMatch(v -> v.contains("Origin"));
    }
  }
}
