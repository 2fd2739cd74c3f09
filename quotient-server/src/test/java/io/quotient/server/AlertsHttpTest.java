package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alert rules and alerts over HTTP, with the alert messages on the stream and in the metrics. */
class AlertsHttpTest {
  static TestServer server;
  static String service;
  static String read;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
    read = server.createKey("read");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void consume(String subject, String metric, int amount) {
    TestServer.Response r = server.post("/v1/consume", service,
        "{\"subject\":\"" + subject + "\",\"metric\":\"" + metric + "\",\"amount\":" + amount + "}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("allowed").asBoolean()).isTrue();
  }

  @Test
  void rules_are_written_read_listed_and_deleted_and_bad_rules_are_refused_naming_the_field() {
    TestServer.Response put = server.put("/v1/alert-rules/chat-messages", ADMIN_KEY,
        "{\"plan\":\"chat\",\"metric\":\"messages\",\"thresholds\":[90,50]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().get("thresholds").toString()).isEqualTo("[50,90]");
    assertThat(server.get("/v1/alert-rules/chat-messages", read).json().get("plan").asText()).isEqualTo("chat");
    JsonNode list = server.get("/v1/alert-rules", read).json();
    assertThat(list.get("rules")).hasSize(1);
    assertThat(list.get("defaultThresholds").toString()).isEqualTo("[80,95,100]");

    TestServer.Response twin = server.put("/v1/alert-rules/twin", ADMIN_KEY, "{\"plan\":\"chat\",\"metric\":\"messages\",\"thresholds\":[10]}");
    assertThat(twin.status()).isEqualTo(422);
    assertThat(twin.field()).isEqualTo("plan");
    TestServer.Response zero = server.put("/v1/alert-rules/zero", ADMIN_KEY, "{\"thresholds\":[50,0]}");
    assertThat(zero.status()).isEqualTo(422);
    assertThat(zero.field()).isEqualTo("thresholds[1]");
    TestServer.Response twice = server.put("/v1/alert-rules/twice", ADMIN_KEY, "{\"thresholds\":[50,50]}");
    assertThat(twice.field()).isEqualTo("thresholds[1]");
    assertThat(server.put("/v1/alert-rules/none", ADMIN_KEY, "{\"thresholds\":[]}").field()).isEqualTo("thresholds");
    assertThat(server.put("/v1/alert-rules/x", ADMIN_KEY, "{\"thresholds\":[50],\"colour\":1}").problemType()).isEqualTo("unknown-field");
    assertThat(server.put("/v1/alert-rules/Bad!", ADMIN_KEY, "{\"thresholds\":[50]}").field()).isEqualTo("name");
    assertThat(server.put("/v1/alert-rules/x", read, "{\"thresholds\":[50]}").problemType()).isEqualTo("forbidden");

    assertThat(server.delete("/v1/alert-rules/chat-messages", ADMIN_KEY).status()).isEqualTo(204);
    assertThat(server.delete("/v1/alert-rules/chat-messages", ADMIN_KEY).problemType()).isEqualTo("not-found");
    assertThat(server.get("/v1/alert-rules/chat-messages", read).problemType()).isEqualTo("not-found");
  }

  @Test
  void crossing_80_and_100_percent_fires_alerts_a_grant_resolves_them_and_the_stream_and_metrics_show_it() throws Exception {
    assertThat(server.put("/v1/subjects/alert-alice", ADMIN_KEY, "{\"plan\":\"free\"}").status()).isEqualTo(200);
    try (SseClient stream = new SseClient(server.server.port(), "/v1/stream?subject=alert-alice&types=alert.triggered,alert.resolved",
        java.util.List.of("Authorization: Bearer " + read), 0)) {
      consume("alert-alice", "ai_generations", 8); // 80 %
      SseClient.Message warning = stream.next();
      assertThat(warning.event()).isEqualTo("alert.triggered");
      JsonNode data = TestServer.JSON.readTree(warning.data()).get("data");
      assertThat(data.get("level").asText()).isEqualTo("warning");
      assertThat(data.get("thresholds").toString()).isEqualTo("[80]");
      assertThat(data.get("used").asLong()).isEqualTo(8);

      consume("alert-alice", "ai_generations", 2); // 100 %
      JsonNode exceeded = TestServer.JSON.readTree(stream.next().data()).get("data");
      assertThat(exceeded.get("thresholds").toString()).isEqualTo("[95,100]");
      assertThat(exceeded.get("level").asText()).isEqualTo("exceeded");

      assertThat(server.post("/v1/subjects/alert-alice/grants", ADMIN_KEY, "{\"metric\":\"ai_generations\",\"amount\":10}").status())
          .isEqualTo(201);
      SseClient.Message resolved = stream.next();
      assertThat(resolved.event()).isEqualTo("alert.resolved");
      JsonNode r = TestServer.JSON.readTree(resolved.data()).get("data");
      assertThat(r.get("thresholds").toString()).isEqualTo("[80,95,100]");
      assertThat(r.get("reason").asText()).isEqualTo("grant");
    }
    server.server.monitor().catchUp(Duration.ofSeconds(30));
    JsonNode resolvedAlerts = server.get("/v1/alerts?subject=alert-alice&state=resolved", read).json().get("alerts");
    assertThat(resolvedAlerts).hasSize(3);
    assertThat(server.get("/v1/alerts?subject=alert-alice&state=firing", read).json().get("alerts")).isEmpty();
    assertThat(server.get("/v1/alerts?metric=ai_generations&limit=2", read).json().get("alerts")).hasSize(2);
    assertThat(server.get("/v1/alerts?state=open", read).field()).isEqualTo("state");
    assertThat(server.get("/v1/alerts?colour=red", read).problemType()).isEqualTo("unknown-field");
    String metrics = server.get("/metrics", null).body();
    assertThat(metrics).contains("quotient_alerts_total{level=\"warning\",type=\"alert.triggered\"}");
    assertThat(metrics).contains("quotient_stream_subscribers");
  }
}
