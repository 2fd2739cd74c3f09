package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A subject token reads its own subject's usage, nothing else, and only until it expires. */
class SubjectTokenTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-03-15T12:00:00Z"));
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(clock, UnaryOperator.identity());
    server.post("/v1/consume", server.createKey("service"), "{\"subject\":\"tina\",\"metric\":\"exports\",\"amount\":1}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String token(String subject, String body) {
    TestServer.Response r = server.post("/v1/subjects/" + subject + "/tokens", TestServer.ADMIN_KEY, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  @Test
  void a_token_reads_its_own_subject_and_is_refused_for_another() {
    TestServer.Response issued = server.post("/v1/subjects/tina/tokens", TestServer.ADMIN_KEY, "{}");
    assertThat(issued.json().get("expiresAt").asText()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)).toString());
    String token = issued.json().get("token").asText();
    JsonNode usage = server.get("/v1/subjects/tina/usage", token).json();
    assertThat(usage.get("subject").asText()).isEqualTo("tina");
    assertThat(SeedsStoryTest.metric(usage, "exports").get("used").asLong()).isEqualTo(1);

    TestServer.Response other = server.get("/v1/subjects/tom/usage", token);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.problemType()).isEqualTo("forbidden");
  }

  @Test
  void a_token_is_refused_for_every_other_route() {
    String token = token("tina", "{}");
    assertThat(server.get("/v1/subjects/tina", token).status()).isEqualTo(403);
    assertThat(server.get("/v1/subjects/tina/grants", token).status()).isEqualTo(403);
    assertThat(server.get("/v1/plans", token).status()).isEqualTo(403);
    assertThat(server.get("/v1/events?subject=tina", token).status()).isEqualTo(403);
    assertThat(server.post("/v1/consume", token, "{\"subject\":\"tina\",\"metric\":\"exports\",\"amount\":1}").status()).isEqualTo(403);
    assertThat(server.post("/v1/subjects/tina/tokens", token, "{}").status()).isEqualTo(403);
  }

  @Test
  void a_tampered_or_expired_token_is_unauthorized() {
    String token = token("tina", "{\"ttlSeconds\":60}");
    String forged = token.replaceFirst("qst_[A-Za-z0-9_-]+\\.",
        "qst_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("1\n9999999999\ntom".getBytes()) + ".");
    assertThat(server.get("/v1/subjects/tom/usage", forged).status()).isEqualTo(401);
    assertThat(server.get("/v1/subjects/tina/usage", token).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(60));
    TestServer.Response expired = server.get("/v1/subjects/tina/usage", token);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.problemType()).isEqualTo("unauthorized");
  }
}
