package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reservations speak like consume (defect 11): commit takes {@code {"metric","amount"}} or
 * {@code {"items":[…]}} (and the older {@code amounts}), no body commits everything held, refusals
 * name the request's own field, and {@code GET /v1/reservations/{id}} shows one. The clock is moved
 * by hand to expire a hold.
 */
class ReservationsTest {
  static TestServer server;
  static String service;
  static final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-10T12:00:00Z"));

  @BeforeAll
  static void start() {
    server = TestServer.start(clock, c -> c);
    service = server.createKey("service");
    // Two metrics with room: growth has ai_generations and exports.
    assertThat(server.put("/v1/subjects/res-u", ADMIN_KEY, "{\"plan\":\"growth\"}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String reserve(String body) {
    TestServer.Response r = server.post("/v1/reservations", service, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("allowed").asBoolean()).as(r.toString()).isTrue();
    return r.json().get("reservationId").asText();
  }

  private static String two() {
    return reserve("{\"subject\":\"res-u\",\"items\":[{\"metric\":\"ai_generations\",\"amount\":4},"
        + "{\"metric\":\"exports\",\"amount\":2}],\"ttlSeconds\":600}");
  }

  private static long used(String metric) {
    for (JsonNode m : server.get("/v1/subjects/res-u/usage", service).json().get("metrics")) {
      if (m.get("metric").asText().equals(metric)) {
        return m.get("used").asLong();
      }
    }
    throw new AssertionError("no metric " + metric);
  }

  @Test
  void commit_with_metric_and_amount_commits_that_and_zero_of_the_rest() {
    long ai = used("ai_generations");
    long exports = used("exports");
    String id = two();
    TestServer.Response r = server.post("/v1/reservations/" + id + "/commit", service,
        "{\"metric\":\"ai_generations\",\"amount\":3}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().at("/items/0/committed").asLong()).isEqualTo(3);
    assertThat(r.json().at("/items/1/committed").asLong()).isZero();
    assertThat(used("ai_generations")).isEqualTo(ai + 3);
    assertThat(used("exports")).isEqualTo(exports);
  }

  @Test
  void commit_with_items_commits_each() {
    long ai = used("ai_generations");
    long exports = used("exports");
    String id = two();
    TestServer.Response r = server.post("/v1/reservations/" + id + "/commit", service,
        "{\"items\":[{\"metric\":\"exports\",\"amount\":1},{\"metric\":\"ai_generations\",\"amount\":4}]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(used("ai_generations")).isEqualTo(ai + 4);
    assertThat(used("exports")).isEqualTo(exports + 1);
  }

  @Test
  void an_empty_body_commits_everything_held_and_amounts_still_works() {
    long ai = used("ai_generations");
    long exports = used("exports");
    String id = two();
    assertThat(server.send("POST", "/v1/reservations/" + id + "/commit", service, null, Map.of()).status()).isEqualTo(200);
    assertThat(used("ai_generations")).isEqualTo(ai + 4);
    assertThat(used("exports")).isEqualTo(exports + 2);
    String older = two();
    TestServer.Response r = server.post("/v1/reservations/" + older + "/commit", service, "{\"amounts\":{\"exports\":2}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(used("exports")).isEqualTo(exports + 4);
  }

  @Test
  void refusals_name_the_requests_own_field_and_change_nothing() {
    String id = two();
    String path = "/v1/reservations/" + id + "/commit";
    TestServer.Response tooMuch = server.post(path, service,
        "{\"items\":[{\"metric\":\"exports\",\"amount\":1},{\"metric\":\"ai_generations\",\"amount\":5}]}");
    assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(422);
    assertThat(tooMuch.field()).isEqualTo("items[1].amount");
    TestServer.Response notHeld = server.post(path, service, "{\"metric\":\"projects\",\"amount\":1}");
    assertThat(notHeld.status()).isEqualTo(422);
    assertThat(notHeld.field()).isEqualTo("metric");
    TestServer.Response both = server.post(path, service,
        "{\"metric\":\"exports\",\"amount\":1,\"items\":[{\"metric\":\"exports\",\"amount\":1}]}");
    assertThat(both.status()).isEqualTo(422);
    assertThat(both.field()).isEqualTo("items");
    TestServer.Response twice = server.post(path, service,
        "{\"items\":[{\"metric\":\"exports\",\"amount\":1},{\"metric\":\"exports\",\"amount\":1}]}");
    assertThat(twice.status()).isEqualTo(422);
    assertThat(twice.field()).isEqualTo("items[1].metric");
    TestServer.Response negative = server.post(path, service, "{\"metric\":\"exports\",\"amount\":-1}");
    assertThat(negative.status()).isEqualTo(422);
    assertThat(negative.field()).isEqualTo("amount");
    TestServer.Response unknown = server.post(path, service, "{\"metric\":\"exports\",\"amont\":1}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.problemType()).isEqualTo("unknown-field");
    // Nothing was settled by the refusals.
    assertThat(server.get("/v1/reservations/" + id, service).json().get("state").asText()).isEqualTo("held");
  }

  @Test
  void a_reservation_is_shown_as_it_stands() {
    String id = two();
    JsonNode held = server.get("/v1/reservations/" + id, service).json();
    assertThat(held.get("id").asText()).isEqualTo(id);
    assertThat(held.get("subject").asText()).isEqualTo("res-u");
    assertThat(held.get("state").asText()).isEqualTo("held");
    assertThat(held.get("expiresAt").asText()).isEqualTo(clock.instant().plusSeconds(600).toString());
    assertThat(held.get("items")).hasSize(2);
    assertThat(held.at("/items/0/metric").asText()).isEqualTo("ai_generations");
    assertThat(held.at("/items/0/held").asLong()).isEqualTo(4);
    assertThat(held.get("eventId").asText()).matches("[0-9]+");

    server.post("/v1/reservations/" + id + "/commit", service, "{\"metric\":\"exports\",\"amount\":1}");
    assertThat(server.get("/v1/reservations/" + id, service).json().get("state").asText()).isEqualTo("committed");
    String released = two();
    server.send("POST", "/v1/reservations/" + released + "/release", service, null, Map.of());
    assertThat(server.get("/v1/reservations/" + released, service).json().get("state").asText()).isEqualTo("released");

    String expiring = two();
    clock.advance(Duration.ofSeconds(601));
    assertThat(server.get("/v1/reservations/" + expiring, service).json().get("state").asText()).isEqualTo("expired");

    TestServer.Response missing = server.get("/v1/reservations/no-such-reservation", service);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.problemType()).isEqualTo("not-found");
    assertThat(server.get("/v1/reservations/" + id, server.createKey("read")).status()).isEqualTo(403);
  }
}
