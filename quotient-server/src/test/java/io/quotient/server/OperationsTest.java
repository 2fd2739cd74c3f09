package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, metrics, the OpenAPI document, unknown routes. */
class OperationsTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void health_answers_without_a_credential() {
    assertThat(server.get("/health/live", null).status()).isEqualTo(200);
    TestServer.Response ready = server.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("database").asText()).isEqualTo("up");
  }

  @Test
  void metrics_count_requests_by_route_and_decisions_by_outcome() {
    String service = server.createKey("service");
    server.post("/v1/consume", service, "{\"subject\":\"m1\",\"metric\":\"exports\",\"amount\":1}");
    server.post("/v1/consume", service, "{\"subject\":\"m1\",\"metric\":\"exports\",\"amount\":1}");
    server.post("/v1/consume/batch", service, "{\"requests\":[{\"subject\":\"m2\",\"metric\":\"exports\",\"amount\":1}]}");
    TestServer.Response metrics = server.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("quotient_http_requests_seconds_count{method=\"POST\",route=\"/v1/consume\",status=\"200\"} 2")
        .contains("quotient_decisions_total{operation=\"consume\",outcome=\"allowed\"} 1")
        .contains("quotient_decisions_total{operation=\"consume\",outcome=\"quota_exceeded\"} 1")
        .contains("quotient_batch_requests_count 1")
        .contains("quotient_decision_seconds_count{operation=\"consume\"} 2")
        .containsPattern("quotient_writer_batch_requests_sum [1-9]")
        .containsPattern("quotient_writer_commit_seconds_count [1-9]");
  }

  @Test
  void the_openapi_document_describes_every_route() {
    TestServer.Response doc = server.get("/v1/openapi.json", null);
    assertThat(doc.status()).isEqualTo(200);
    JsonNode paths = doc.json().get("paths");
    List<String> missing = new ArrayList<>();
    for (String route : server.server.routes()) {
      String[] parts = route.split(" ", 2);
      JsonNode path = paths.get(parts[1]);
      if (path == null || !path.has(parts[0].toLowerCase(Locale.ROOT))) {
        missing.add(route);
      }
    }
    assertThat(missing).as("routes missing from openapi.json").isEmpty();
    List<String> documented = new ArrayList<>();
    paths.fields().forEachRemaining(p -> p.getValue().fieldNames()
        .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
    assertThat(documented).as("operations in openapi.json without a route").containsExactlyInAnyOrderElementsOf(server.server.routes());
  }

  @Test
  void a_malformed_uri_refused_by_jetty_is_a_problem_too() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.port())) {
      socket.getOutputStream().write(("GET /v1/subjects/%ZZ/usage HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
      assertThat(answer).contains("urn:quotient:problem:bad-request");
    }
  }

  @Test
  void an_unknown_route_is_a_problem() {
    TestServer.Response r = server.get("/v2/consume", TestServer.ADMIN_KEY);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.problemType()).isEqualTo("not-found");
  }
}
