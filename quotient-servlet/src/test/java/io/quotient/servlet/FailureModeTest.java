package io.quotient.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.client.QuotientClient;
import io.quotient.testkit.QuotientTestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fail-open and fail-closed routes in front of a Quotient server that was started and then stopped. */
class FailureModeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static QuotientClient client;
  static QuotaFilter filter;
  static Container app;
  static final AtomicInteger runs = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    QuotientTestServer quotient = QuotientTestServer.start();
    client = QuotientClient.builder().url(quotient.url()).apiKey(quotient.serviceKey())
        .retries(1).backoff(Duration.ofMillis(10), Duration.ofMillis(20)).build();
    assertThat(client.consume("before", "ai_generations", 1).allowed()).as("the server was up").isTrue();
    quotient.close();
    filter = QuotaFilter.builder(client)
        .subjects(request -> "someone")
        .route(QuotaRoute.path("/open").metric("ai_generations", 1).failureMode(QuotaRoute.FailureMode.FAIL_OPEN).build())
        .route(QuotaRoute.path("/open-later").metric("ai_generations", 1)
            .mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).failureMode(QuotaRoute.FailureMode.FAIL_OPEN).build())
        .route(QuotaRoute.path("/closed").metric("ai_generations", 1).build())
        .build();
    app = new Container(filter, new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        runs.incrementAndGet();
        QuotaDecision decision = (QuotaDecision) request.getAttribute(QuotaDecision.ATTRIBUTE);
        response.getWriter().write("checked=" + decision.checked());
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void fail_closed_answers_503_and_the_handler_does_not_run() throws Exception {
    int before = runs.get();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> refused = app.post("/closed", null, "");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      JsonNode problem = JSON.readTree(refused.body());
      assertThat(problem.get("type").asText()).isEqualTo("urn:quotient:problem:quota-unavailable");
    }
    assertThat(runs.get()).isEqualTo(before);
  }

  @Test
  void fail_open_lets_requests_through_uncounted_and_counts_them() throws Exception {
    long before = filter.failedOpen();
    for (String path : new String[] {"/open", "/open-later"}) {
      HttpResponse<String> through = app.post(path, null, "");
      assertThat(through.statusCode()).isEqualTo(200);
      assertThat(through.body()).isEqualTo("checked=false");
      assertThat(through.headers().firstValue("RateLimit")).isEmpty();
    }
    assertThat(filter.failedOpen() - before).isEqualTo(2);
  }

  @Test
  void fail_open_is_logged_at_most_once_a_minute_with_the_count() throws Exception {
    HandClock clock = new HandClock("2026-11-24T12:00:00Z");
    List<String> warnings = new CopyOnWriteArrayList<>();
    QuotaFilter logged = QuotaFilter.builder(client)
        .subjects(request -> "someone")
        .clock(clock)
        .log(new Recording(warnings))
        .route(QuotaRoute.path("/open").metric("ai_generations", 1).failureMode(QuotaRoute.FailureMode.FAIL_OPEN).build())
        .build();
    try (Container other = new Container(logged, new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) {}
    })) {
      for (int i = 0; i < 5; i++) {
        assertThat(other.post("/open", null, "").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(10));
      }
      assertThat(warnings).hasSize(1);
      assertThat(warnings.getFirst()).contains("1 request(s) let through uncounted");
      clock.advance(Duration.ofSeconds(15));
      assertThat(other.post("/open", null, "").statusCode()).isEqualTo(200);
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(1)).as("the count since the last report").contains("5 request(s) let through uncounted");
      assertThat(logged.failedOpen()).isEqualTo(6);
    }
  }

  /** A logger that keeps the warnings' messages. */
  record Recording(List<String> warnings) implements System.Logger {
    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String message, Throwable thrown) {
      if (level == Level.WARNING) {
        warnings.add(message);
      }
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
      if (level == Level.WARNING) {
        warnings.add(format);
      }
    }
  }

  @Test
  void the_circuit_breaker_opens_so_later_requests_cost_no_attempt() throws Exception {
    for (int i = 0; i < 10; i++) {
      app.post("/open", null, "");
    }
    assertThat(client.isCircuitOpen()).isTrue();
    assertThat(app.post("/closed", null, "").statusCode()).isEqualTo(503);
    assertThat(app.post("/open", null, "").statusCode()).isEqualTo(200);
  }
}
