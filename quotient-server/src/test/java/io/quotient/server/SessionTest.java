package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's session over HTTP: a key exchanged for a cookie with the right flags, stored
 * hashed, accepted with the key's role, writes refused without the CSRF token, ended by sign-out,
 * expiry and the key's revocation.
 */
class SessionTest {
  static final MutableClock clock = new MutableClock(Instant.now());
  static io.quotient.storage.Database database;
  static TestServer server;
  static String read;

  /** A signed-in session: the cookie's value and the CSRF token. */
  record Cookie(String id, String csrf) {
    /** The headers a page's write sends: the cookie and the CSRF token. */
    Map<String, String> headers() {
      return Map.of("Cookie", "quotient_session=" + id, "X-CSRF-Token", csrf);
    }

    /** The cookie alone, as a forged cross-site write would carry it. */
    Map<String, String> cookieOnly() {
      return Map.of("Cookie", "quotient_session=" + id);
    }
  }

  static Cookie signIn(TestServer server, String key) {
    TestServer.Response r = server.post("/v1/session", null, "{\"key\":\"" + key + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    String id = setCookie.substring("quotient_session=".length(), setCookie.indexOf(';'));
    return new Cookie(id, r.json().get("csrfToken").asText());
  }

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    server = TestServer.start(database, clock, UnaryOperator.identity());
    read = server.createKey("read");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void signing_in_sets_an_http_only_strict_cookie_and_answers_the_role_and_csrf_token() {
    TestServer.Response r = server.post("/v1/session", null, "{\"key\":\"" + TestServer.ADMIN_KEY + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("quotient_session=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age=28800")
        .doesNotContain("Secure");
    assertThat(r.json().get("role").asText()).isEqualTo("admin");
    assertThat(r.json().get("csrfToken").asText()).hasSizeGreaterThan(30);
    assertThat(r.body()).doesNotContain(cookie.substring("quotient_session=".length(), cookie.indexOf(';')));
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void over_tls_the_cookie_is_secure() {
    TestServer.Response r = server.send("POST", "/v1/session", null, "{\"key\":\"" + read + "\"}",
        Map.of("Content-Type", "application/json", "X-Forwarded-Proto", "https"));
    assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
  }

  @Test
  void only_a_hash_of_the_session_id_is_stored() throws SQLException {
    Cookie session = signIn(server, TestServer.ADMIN_KEY);
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT encode(id_hash, 'escape') FROM server_sessions");
        ResultSet rs = ps.executeQuery()) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getString(1)).doesNotContain(session.id());
      }
      assertThat(rows).isPositive();
    }
  }

  @Test
  void the_cookie_reads_and_writes_with_the_keys_role_and_the_session_reads_back() {
    Cookie admin = signIn(server, TestServer.ADMIN_KEY);
    assertThat(server.send("GET", "/v1/plans", null, null, admin.cookieOnly()).status()).isEqualTo(200);
    TestServer.Response current = server.send("GET", "/v1/session", null, null, admin.cookieOnly());
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.json().get("csrfToken").asText()).isEqualTo(admin.csrf());
    Map<String, String> write = new HashMap<>(admin.headers());
    write.put("Content-Type", "application/json");
    TestServer.Response put = server.send("PUT", "/v1/subjects/sess-1", null, "{\"plan\":\"free\"}", write);
    assertThat(put.status()).as(put.toString()).isIn(200, 201);
  }

  @Test
  void a_forged_write_without_the_csrf_token_is_refused_and_changes_nothing() {
    Cookie admin = signIn(server, TestServer.ADMIN_KEY);
    Map<String, String> forged = new HashMap<>(admin.cookieOnly());
    forged.put("Content-Type", "application/json");
    TestServer.Response r = server.send("PUT", "/v1/subjects/forged", null, "{\"plan\":\"free\"}", forged);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.problemType()).isEqualTo("forbidden");
    assertThat(r.json().get("detail").asText()).contains("X-CSRF-Token");
    forged.put("X-CSRF-Token", admin.csrf() + "x");
    assertThat(server.send("PUT", "/v1/subjects/forged", null, "{\"plan\":\"free\"}", forged).status()).isEqualTo(403);
    // Another session's token does not do either.
    forged.put("X-CSRF-Token", signIn(server, TestServer.ADMIN_KEY).csrf());
    assertThat(server.send("PUT", "/v1/subjects/forged", null, "{\"plan\":\"free\"}", forged).status()).isEqualTo(403);
    assertThat(server.get("/v1/subjects/forged", TestServer.ADMIN_KEY).status()).isEqualTo(404);
  }

  @Test
  void a_read_keys_session_reads_but_never_writes() {
    Cookie session = signIn(server, read);
    assertThat(server.send("GET", "/v1/plans", null, null, session.cookieOnly()).status()).isEqualTo(200);
    Map<String, String> write = new HashMap<>(session.headers());
    write.put("Content-Type", "application/json");
    TestServer.Response r = server.send("PUT", "/v1/subjects/by-reader", null, "{\"plan\":\"free\"}", write);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.problemType()).isEqualTo("forbidden");
    assertThat(server.get("/v1/subjects/by-reader", TestServer.ADMIN_KEY).status()).isEqualTo(404);
  }

  @Test
  void a_service_key_unknown_key_or_missing_key_does_not_sign_in() {
    TestServer.Response service = server.post("/v1/session", null, "{\"key\":\"" + server.createKey("service") + "\"}");
    assertThat(service.status()).isEqualTo(403);
    assertThat(service.headers().firstValue("Set-Cookie")).isEmpty();
    TestServer.Response unknown = server.post("/v1/session", null, "{\"key\":\"qk_never-issued-000000000000000000000000000\"}");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("Set-Cookie")).isEmpty();
    TestServer.Response missing = server.post("/v1/session", null, "{}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.field()).isEqualTo("key");
  }

  @Test
  void signing_out_needs_the_csrf_token_then_ends_the_session_and_clears_the_cookie() {
    Cookie session = signIn(server, TestServer.ADMIN_KEY);
    assertThat(server.send("DELETE", "/v1/session", null, null, session.cookieOnly()).status()).isEqualTo(403);
    TestServer.Response out = server.send("DELETE", "/v1/session", null, null, session.headers());
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("quotient_session=;").contains("Max-Age=0");
    TestServer.Response after = server.send("GET", "/v1/plans", null, null, session.cookieOnly());
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.problemType()).isEqualTo("unauthorized");
  }

  @Test
  void revoking_the_key_ends_its_sessions() {
    TestServer.Response created = server.post("/v1/keys", TestServer.ADMIN_KEY, "{\"name\":\"short-lived\",\"role\":\"read\"}");
    Cookie session = signIn(server, created.json().get("key").asText());
    assertThat(server.send("GET", "/v1/plans", null, null, session.cookieOnly()).status()).isEqualTo(200);
    assertThat(server.delete("/v1/keys/" + created.json().get("id").asText(), TestServer.ADMIN_KEY).status()).isEqualTo(200);
    assertThat(server.send("GET", "/v1/plans", null, null, session.cookieOnly()).status()).isEqualTo(401);
  }

  @Test
  void a_session_expires_after_eight_hours() {
    Cookie session = signIn(server, read);
    clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(server.send("GET", "/v1/plans", null, null, session.cookieOnly()).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(server.send("GET", "/v1/plans", null, null, session.cookieOnly()).status()).isEqualTo(401);
  }

  @Test
  void an_unknown_cookie_is_unauthorized() {
    TestServer.Response r = server.send("GET", "/v1/plans", null, null, Map.of("Cookie", "quotient_session=made-up"));
    assertThat(r.status()).isEqualTo(401);
  }
}
