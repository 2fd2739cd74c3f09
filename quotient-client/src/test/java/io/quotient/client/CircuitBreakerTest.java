package io.quotient.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.api.Plan;
import io.quotient.testkit.QuotientTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's circuit breaker against a real server that stops and starts again (behind a
 * {@link SwitchedLink}), and against one that never answers; the breaker's time is moved by hand.
 */
class CircuitBreakerTest {
  static QuotientTestServer server;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T12:00:00Z"));

  @BeforeAll
  static void start() {
    server = QuotientTestServer.builder()
        .plan("basic", Map.of("tickets", Plan.Limit.hard(1000L, "month")))
        .defaultPlan("basic")
        .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private QuotientClient client(String url, Duration requestTimeout) {
    return QuotientClient.builder()
        .url(url)
        .apiKey(server.serviceKey())
        .requestTimeout(requestTimeout)
        .retries(0)
        .circuitBreaker(3, Duration.ofSeconds(5))
        .clock(now::get)
        .build();
  }

  private void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  @Test
  void a_stopped_server_opens_the_breaker_and_a_probe_closes_it_once_the_server_is_back() throws Exception {
    try (SwitchedLink link = new SwitchedLink(server.port());
        QuotientClient client = client(link.url(), Duration.ofSeconds(5))) {
      assertThat(client.consume("breaker-1", "tickets", 1).allowed()).isTrue();
      link.stop();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> client.consume("breaker-1", "tickets", 1))
            .isInstanceOfSatisfying(QuotientUnreachableException.class, e -> assertThat(e.circuitOpen()).isFalse());
      }
      assertThat(client.isCircuitOpen()).isTrue();

      link.start();
      int connections = link.connections();
      // The server is back, but until the breaker's time has passed no call is even sent.
      for (int i = 0; i < 20; i++) {
        assertThatThrownBy(() -> client.consume("breaker-1", "tickets", 1))
            .isInstanceOfSatisfying(QuotientUnreachableException.class, e -> assertThat(e.circuitOpen()).isTrue());
      }
      assertThat(link.connections()).as("no attempt while open").isEqualTo(connections);
      try (QuotientClient direct = client(server.url().toString(), Duration.ofSeconds(5))) {
        assertThat(direct.usage("breaker-1").metrics().getFirst().used()).as("nothing was charged").isEqualTo(1);
      }
    }
  }

  @Test
  void the_probe_after_the_open_time_brings_the_client_back() throws Exception {
    try (SwitchedLink link = new SwitchedLink(server.port());
        QuotientClient client = client(link.url(), Duration.ofSeconds(5))) {
      link.stop();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> client.check(io.quotient.api.ConsumeRequest.of("breaker-2", "tickets", 1)))
            .isInstanceOf(QuotientUnreachableException.class);
      }
      assertThat(client.isCircuitOpen()).isTrue();

      // A probe while the server is still down fails and opens the breaker for another period.
      advance(Duration.ofSeconds(6));
      assertThatThrownBy(() -> client.consume("breaker-2", "tickets", 1))
          .isInstanceOfSatisfying(QuotientUnreachableException.class, e -> assertThat(e.circuitOpen()).isFalse());
      assertThatThrownBy(() -> client.consume("breaker-2", "tickets", 1))
          .isInstanceOfSatisfying(QuotientUnreachableException.class, e -> assertThat(e.circuitOpen()).isTrue());

      link.start();
      advance(Duration.ofSeconds(6));
      assertThat(client.consume("breaker-2", "tickets", 1).allowed()).as("the probe").isTrue();
      assertThat(client.isCircuitOpen()).isFalse();
      for (int i = 0; i < 5; i++) {
        assertThat(client.consume("breaker-2", "tickets", 1).allowed()).isTrue();
      }
      assertThat(client.usage("breaker-2").metrics().getFirst().used()).isEqualTo(6);
    }
  }

  @Test
  void a_server_that_never_answers_costs_no_timeout_once_the_breaker_is_open() throws Exception {
    try (FaultyLink link = FaultyLink.silent();
        QuotientClient client = client(link.url(), Duration.ofMillis(200))) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> client.consume("breaker-3", "tickets", 1)).isInstanceOf(QuotientTimeoutException.class);
      }
      for (int i = 0; i < 50; i++) {
        assertThatThrownBy(() -> client.consume("breaker-3", "tickets", 1))
            .isInstanceOfSatisfying(QuotientUnreachableException.class, e -> {
              assertThat(e.circuitOpen()).isTrue();
              assertThat(e.idempotencyKey()).isPresent();
            });
      }
      assertThat(link.requests()).as("only the three that opened the breaker were sent").hasSize(3);
    }
  }

  @Test
  void problems_are_answers_and_do_not_open_the_breaker() {
    try (QuotientClient client = client(server.url().toString(), Duration.ofSeconds(5))) {
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(() -> client.consume("breaker-4", "no such metric!", 1)).isInstanceOf(QuotientProblemException.class);
      }
      assertThat(client.isCircuitOpen()).isFalse();
      assertThat(client.consume("breaker-4", "tickets", 1).allowed()).isTrue();
    }
  }
}
