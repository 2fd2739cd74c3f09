package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.monitor.webhook.Receiver;
import io.quotient.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks through the HTTP API on a real server with its background workers: create an endpoint,
 * consume over HTTP, and a real receiver gets signed messages; Slack sentences; the test message;
 * deliveries; metrics; and every refusal names its field.
 */
class WebhooksHttpTest {
  static TestServer server;
  static String service;
  static final Receiver receiver = new Receiver();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
    assertThat(server.put("/v1/plans/hooks", ADMIN_KEY, "{\"limits\":{\"ai_generations\":{\"limit\":10,\"period\":\"month\"}}}").status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  @Test
  void a_consume_over_http_reaches_the_receiver_signed_and_the_delivery_is_listed() throws Exception {
    try (Receiver r = new Receiver()) {
      var created = server.post("/v1/webhooks", ADMIN_KEY,
          "{\"url\":\"" + r.url() + "\",\"types\":[\"quota.consumed\"]}").json(); // format defaults to standard
      String id = created.get("id").asText();
      String secret = created.get("secret").asText();
      assertThat(created.get("format").asText()).isEqualTo("standard");
      assertThat(server.put("/v1/subjects/hook-alice", ADMIN_KEY, "{\"plan\":\"hooks\"}").status()).isEqualTo(200);
      TestServer.Response consumed = server.post("/v1/consume", service, "{\"subject\":\"hook-alice\",\"metric\":\"ai_generations\",\"amount\":2}");
      String eventId = consumed.json().get("eventId").asText();
      Eventually.await("the message arrives", Duration.ofSeconds(30), () -> !r.requests().isEmpty());
      Receiver.Request request = r.requests().get(0);
      assertThat(request.id()).isEqualTo(eventId);
      assertThat(Receiver.verify(request, secret, Clock.systemUTC())).isTrue();
      assertThat(request.body()).startsWith("{\"id\":\"" + eventId + "\",\"type\":\"quota.consumed\",\"timestamp\":")
          .contains("\"subject\":\"hook-alice\"");
      Eventually.await("the delivery is recorded", Duration.ofSeconds(10),
          () -> server.get("/v1/webhooks/" + id + "/deliveries", ADMIN_KEY).json().get("deliveries").get(0).get("state").asText()
              .equals("delivered"));
      var delivery = server.get("/v1/webhooks/" + id + "/deliveries?limit=1", ADMIN_KEY).json().get("deliveries").get(0);
      assertThat(delivery.get("messageId").asText()).isEqualTo(eventId);
      assertThat(delivery.get("lastStatus").asInt()).isEqualTo(200);
      assertThat(server.get("/v1/webhooks/" + id, ADMIN_KEY).json().has("secret")).isFalse();
      String metrics = server.get("/metrics", null).body();
      assertThat(metrics).contains("quotient_webhook_deliveries_total{outcome=\"delivered\"}")
          .contains("quotient_webhook_outbox_depth").contains("quotient_webhook_outbox_oldest_seconds");
      assertThat(server.delete("/v1/webhooks/" + id, ADMIN_KEY).status()).isEqualTo(200);
    }
  }

  @Test
  void slack_gets_the_alert_as_a_sentence_and_a_test_message_goes_out() throws Exception {
    try (Receiver r = new Receiver()) {
      String id = server.post("/v1/webhooks", ADMIN_KEY,
          "{\"url\":\"" + r.url() + "\",\"format\":\"slack\",\"types\":[\"alert.triggered\"]}").json().get("id").asText();
      assertThat(server.put("/v1/subjects/hook-bob", ADMIN_KEY, "{\"plan\":\"hooks\"}").status()).isEqualTo(200);
      server.post("/v1/consume", service, "{\"subject\":\"hook-bob\",\"metric\":\"ai_generations\",\"amount\":8}");
      Eventually.await("the alert arrives", Duration.ofSeconds(30), () -> !r.requests().isEmpty());
      assertThat(r.requests().get(0).body()).startsWith("{\"text\":\"hook-bob used 80% of ai_generations (8/10), resets 1 ");
      TestServer.Response test = server.post("/v1/webhooks/" + id + "/test", ADMIN_KEY, null);
      assertThat(test.status()).as(test.toString()).isEqualTo(202);
      Eventually.await("the test message arrives", Duration.ofSeconds(30), () -> r.requests().size() == 2);
      assertThat(r.requests().get(1).body()).isEqualTo("{\"text\":\"Test message from Quotient for webhook " + id + "\"}");
      server.delete("/v1/webhooks/" + id, ADMIN_KEY);
    }
  }

  @Test
  void bad_input_is_refused_naming_the_field_and_nothing_is_created() {
    int before = server.get("/v1/webhooks", ADMIN_KEY).json().get("webhooks").size();
    String url = receiver.url();
    record Case(String body, int status, String type, String field) {}
    for (Case c : List.of(
        new Case("{\"types\":[\"quota.consumed\"]}", 422, "invalid-field", "url"),
        new Case("{\"url\":\"ftp://x.example/\",\"types\":[\"quota.consumed\"]}", 422, "invalid-field", "url"),
        new Case("{\"url\":\"" + url + "\",\"types\":\"quota.consumed\"}", 422, "invalid-field", "types"),
        new Case("{\"url\":\"" + url + "\",\"types\":[]}", 422, "invalid-field", "types"),
        new Case("{\"url\":\"" + url + "\",\"types\":[\"quota.consumed\",7]}", 422, "invalid-field", "types[1]"),
        new Case("{\"url\":\"" + url + "\",\"types\":[\"quota.consumed\",\"quota.eaten\"]}", 422, "invalid-field", "types[1]"),
        new Case("{\"url\":\"" + url + "\",\"format\":\"teams\",\"types\":[\"quota.consumed\"]}", 422, "invalid-field", "format"),
        new Case("{\"url\":\"" + url + "\",\"types\":[\"quota.consumed\"],\"secret\":\"x\"}", 422, "unknown-field", "secret"),
        new Case("{\"url\":", 400, "malformed-json", null))) {
      TestServer.Response r = server.post("/v1/webhooks", ADMIN_KEY, c.body());
      assertThat(r.status()).as(c.body() + " -> " + r).isEqualTo(c.status());
      assertThat(r.problemType()).as(c.body()).isEqualTo(c.type());
      assertThat(r.field()).as(c.body()).isEqualTo(c.field());
    }
    assertThat(server.get("/v1/webhooks/wh_none/deliveries?limit=5000", ADMIN_KEY).field()).isEqualTo("limit");
    assertThat(server.get("/v1/webhooks", ADMIN_KEY).json().get("webhooks").size()).isEqualTo(before);
  }

  @Test
  void a_server_that_does_not_allow_private_addresses_refuses_them() {
    try (TestServer strict = TestServer.start(Clock.systemUTC(), c -> c.withWebhooksAllowPrivate(false))) {
      for (String url : List.of(receiver.url(), "http://localhost:8080/x", "http://10.0.0.8/x", "http://169.254.169.254/x")) {
        TestServer.Response r = strict.post("/v1/webhooks", ADMIN_KEY, "{\"url\":\"" + url + "\",\"types\":[\"quota.consumed\"]}");
        assertThat(r.status()).as(url + " -> " + r).isEqualTo(422);
        assertThat(r.field()).isEqualTo("url");
        assertThat(r.json().get("detail").asText()).contains("QUOTIENT_WEBHOOKS_ALLOW_PRIVATE");
      }
    }
  }

}
