package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.MutableClock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A subject's own limits on {@code PUT /v1/subjects/{id}}: they win over the plan's until removed or expired. */
class OverrideTest {
  static final MutableClock clock = MutableClock.at("2026-11-15T12:00:00Z");
  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start(clock, UnaryOperator.identity());
    service = server.createKey("service");
    server.put("/v1/plans/ov", ADMIN_KEY, "{\"limits\":{\"ai\":{\"limit\":3,\"period\":\"month\"},\"seats\":{\"limit\":1,\"period\":\"total\"}}}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static TestServer.Response put(String subject, String body) {
    return server.put("/v1/subjects/" + subject, ADMIN_KEY, body);
  }

  static int granted(String subject, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (server.post("/v1/consume", service, "{\"subject\":\"" + subject + "\",\"metric\":\"ai\",\"amount\":1}")
          .json().path("allowed").asBoolean()) {
        granted++;
      }
    }
    return granted;
  }

  static JsonNode usage(String subject) {
    return SeedsStoryTest.metric(server.get("/v1/subjects/" + subject + "/usage", ADMIN_KEY).json(), "ai");
  }

  @Test
  void a_larger_a_lower_and_an_unlimited_allowance_win_over_the_plan() {
    put("ov-big", "{\"plan\":\"ov\",\"overrides\":{\"ai\":{\"limit\":5}}}");
    put("ov-low", "{\"plan\":\"ov\",\"overrides\":{\"ai\":{\"limit\":1}}}");
    put("ov-staff", "{\"plan\":\"ov\",\"overrides\":{\"ai\":{\"limit\":null}}}");
    put("ov-plain", "{\"plan\":\"ov\"}");
    assertThat(granted("ov-big", 7)).isEqualTo(5);
    assertThat(granted("ov-low", 3)).isEqualTo(1);
    assertThat(granted("ov-staff", 20)).isEqualTo(20);
    assertThat(granted("ov-plain", 5)).isEqualTo(3);
    assertThat(usage("ov-big").path("limit").asLong()).isEqualTo(5);
    assertThat(usage("ov-big").path("limitSource").asText()).isEqualTo("override");
    assertThat(usage("ov-staff").path("limit").isNull()).isTrue();
    assertThat(usage("ov-plain").path("limitSource").asText()).isEqualTo("plan");
    assertThat(SeedsStoryTest.metric(server.get("/v1/subjects/ov-big/usage", ADMIN_KEY).json(), "seats")
        .path("limitSource").asText()).isEqualTo("plan");
  }

  @Test
  void an_override_ends_at_its_expiry_and_when_removed_and_stays_when_left_out() {
    TestServer.Response set = put("ov-exp", "{\"plan\":\"ov\",\"overrides\":{\"ai\":{\"limit\":10,\"expiresAt\":\"2026-11-15T13:00:00Z\"}}}");
    assertThat(set.json().path("overrides").path("ai").path("active").asBoolean()).isTrue();
    assertThat(usage("ov-exp").path("limit").asLong()).isEqualTo(10);
    // A PUT without overrides keeps them.
    put("ov-exp", "{\"metadata\":{\"team\":\"x\"}}");
    assertThat(usage("ov-exp").path("limit").asLong()).isEqualTo(10);
    clock.advance(Duration.ofHours(2));
    try {
      assertThat(usage("ov-exp").path("limit").asLong()).isEqualTo(3);
      assertThat(usage("ov-exp").path("limitSource").asText()).isEqualTo("plan");
      assertThat(server.get("/v1/subjects/ov-exp", ADMIN_KEY).json().path("overrides").path("ai").path("active").asBoolean())
          .isFalse();
      assertThat(granted("ov-exp", 5)).isEqualTo(3);
    } finally {
      clock.set("2026-11-15T12:00:00Z");
    }

    put("ov-rm", "{\"plan\":\"ov\",\"overrides\":{\"ai\":{\"limit\":0}}}");
    assertThat(granted("ov-rm", 1)).isZero();
    TestServer.Response removed = put("ov-rm", "{\"overrides\":{}}");
    assertThat(removed.json().path("overrides").size()).isZero();
    assertThat(granted("ov-rm", 1)).as("the plan's limit applies from the next request").isEqualTo(1);
  }

  @Test
  void changes_are_in_the_audit_trail() {
    put("ov-audit", "{\"plan\":\"ov\",\"overrides\":{\"ai\":{\"limit\":7}}}");
    put("ov-audit", "{\"overrides\":{\"ai\":{\"limit\":7}}}");
    put("ov-audit", "{\"overrides\":{}}");
    JsonNode events = server.get("/v1/events?type=override&subject=ov-audit", ADMIN_KEY).json().path("events");
    assertThat(events).as("an unchanged set records nothing").hasSize(2);
    assertThat(events.get(0).path("detail").path("before.ai").asText()).isEqualTo("plan");
    assertThat(events.get(0).path("detail").path("after.ai").asText()).isEqualTo("7");
    assertThat(events.get(1).path("detail").path("after.ai").asText()).isEqualTo("plan");
  }

  @Test
  void bad_overrides_name_their_field_and_change_nothing() {
    put("ov-bad", "{\"plan\":\"ov\"}");
    assertThat(put("ov-bad", "{\"overrides\":{\"exports\":{\"limit\":5}}}").field()).isEqualTo("overrides.exports");
    assertThat(put("ov-bad", "{\"overrides\":{\"ai\":{\"limit\":-1}}}").field()).isEqualTo("overrides.ai.limit");
    assertThat(put("ov-bad", "{\"overrides\":{\"ai\":{}}}").field()).isEqualTo("overrides.ai.limit");
    assertThat(put("ov-bad", "{\"overrides\":{\"ai\":{\"limit\":5,\"colour\":1}}}").status()).isEqualTo(422);
    assertThat(put("ov-bad", "{\"overrides\":{\"ai\":{\"limit\":5,\"expiresAt\":\"2020-01-01T00:00:00Z\"}}}").field())
        .isEqualTo("overrides.ai.expiresAt");
    assertThat(put("ov-bad", "{\"plan\":\"free\",\"overrides\":{\"ai\":{\"limit\":5}}}").status())
        .as("nothing written: the plan change is refused with the override").isEqualTo(422);
    assertThat(server.get("/v1/subjects/ov-bad", ADMIN_KEY).json().path("plan").asText()).isEqualTo("ov");
  }
}
