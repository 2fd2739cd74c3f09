package io.quotient.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.testkit.QuotientTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The chat app's story end to end: the app on a random port, configured as its README says,
 * against a real Quotient server from the test kit started with the app's plans file and
 * {@code chat} as the default plan.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatStoryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static QuotientTestServer quotient;

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void quotient(DynamicPropertyRegistry registry) {
    quotient = QuotientTestServer.builder().plansFile(Path.of("plans.json")).defaultPlan("chat").start();
    registry.add("quotient.url", () -> quotient.url().toString());
    registry.add("quotient.api-key", quotient::serviceKey);
  }

  @AfterAll
  static void stop() {
    if (quotient != null) {
      quotient.close();
    }
  }

  private HttpResponse<String> chat(String user, String model, String message) throws Exception {
    String body = JSON.createObjectNode().put("model", model).put("message", message).toString();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header("X-User", user);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode usage(String user) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/usage"));
    if (user != null) {
      request.header("X-User", user);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void a_signed_in_user_has_100_messages_a_month_and_20_premium_charged_together() throws Exception {
    HttpResponse<String> first = chat("alice", "gemini-2.0-flash", "hello");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(json(first).get("reply").asText()).isEqualTo("echo: hello");
    assertThat(json(first).at("/remaining/messages").asLong()).isEqualTo(99);
    assertThat(first.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains("\"messages\";r=99;t="));

    for (int i = 0; i < 20; i++) {
      assertThat(chat("alice", "claude-3.5-sonnet", "premium " + i).statusCode()).isEqualTo(200);
    }
    JsonNode usage = usage("alice");
    assertThat(usage.get("totalMessages").asLong()).isEqualTo(21);
    assertThat(usage.get("premiumMessages").asLong()).isEqualTo(20);
    assertThat(usage.get("canSendMessage").asBoolean()).isTrue();
    assertThat(usage.get("canSendPremiumMessage").asBoolean()).isFalse();
    assertThat(usage.get("resetsAt").asText()).endsWith("-01T00:00:00Z");

    HttpResponse<String> premiumDenied = chat("alice", "claude-opus-4", "one more");
    assertThat(premiumDenied.statusCode()).isEqualTo(429);
    assertThat(premiumDenied.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(premiumDenied).get("type").asText()).isEqualTo("urn:quotient:problem:quota-exceeded");
    assertThat(json(premiumDenied).get("metric").asText()).isEqualTo("premium_messages");
    assertThat(json(premiumDenied).get("upgradeUrl").asText()).isEqualTo("https://example.com/pricing");
    assertThat(usage("alice").get("totalMessages").asLong()).as("all or nothing: messages not charged alone").isEqualTo(21);

    for (int i = 21; i < 100; i++) {
      assertThat(chat("alice", "gpt-4o-mini", "m" + i).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> denied = chat("alice", "gpt-4o-mini", "the 101st");
    assertThat(denied.statusCode()).isEqualTo(429);
    assertThat(json(denied).get("metric").asText()).isEqualTo("messages");
    assertThat(json(denied).get("limit").asLong()).isEqualTo(100);
    assertThat(usage("alice").get("canSendMessage").asBoolean()).isFalse();
  }

  @Test
  void a_message_that_fails_is_not_charged() throws Exception {
    HttpResponse<String> blank = chat("bob", "gemini-2.0-flash", " ");
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(chat("bob", "no-such-model", "hi").statusCode()).isEqualTo(400);
    assertThat(usage("bob").get("totalMessages").asLong()).isZero();
    assertThat(chat("bob", "gemini-2.0-flash", "hi").statusCode()).isEqualTo(200);
    assertThat(usage("bob").get("totalMessages").asLong()).isEqualTo(1);
  }

  @Test
  void anonymous_users_may_use_only_gemini_on_a_small_allowance_of_their_own() throws Exception {
    HttpResponse<String> premium = chat(null, "claude-3-haiku", "hi");
    assertThat(premium.statusCode()).isEqualTo(403);
    assertThat(premium.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(json(premium).get("type").asText()).isEqualTo("urn:quotient-chat:problem:model-not-allowed");
    assertThat(usage(null).get("totalMessages").asLong()).as("a refused message costs nothing").isZero();

    for (int i = 0; i < 10; i++) {
      assertThat(chat(null, "gemini-2.0-flash", "anon " + i).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> denied = chat(null, "gemini-2.0-flash", "the 11th today");
    assertThat(denied.statusCode()).isEqualTo(429);
    assertThat(json(denied).get("metric").asText()).isEqualTo("anonymous_messages");
    JsonNode usage = usage(null);
    assertThat(usage.get("userId").asText()).startsWith("anonymous:");
    assertThat(usage.get("totalMessages").asLong()).isEqualTo(10);
    assertThat(usage.get("canSendMessage").asBoolean()).isFalse();
    assertThat(usage.get("canSendPremiumMessage").asBoolean()).isFalse();
    assertThat(usage("carol").get("canSendMessage").asBoolean()).as("signed-in users are counted apart").isTrue();
  }

  @Test
  void the_health_endpoint_reports_quotient() throws Exception {
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).at("/components/quotient/status").asText()).isEqualTo("UP");
  }
}
