package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.MutableClock;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeds' story, end to end over HTTP, on the shipped example plans: a free user gets 10
 * generations and the 11th is denied naming the limit and the reset time; a grant of 5 gives 5
 * more; an upgrade to starter raises the limit with usage carried over; 3 projects then a denial,
 * and a refund after deleting one allows one more.
 */
class SeedsStoryTest {
  static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start(new MutableClock(NOW), UnaryOperator.identity());
    service = server.createKey("service");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode consume(String subject, String metric) {
    TestServer.Response r = server.post("/v1/consume", service,
        "{\"subject\":\"" + subject + "\",\"metric\":\"" + metric + "\",\"amount\":1}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void a_free_user_runs_out_gets_a_grant_and_upgrades() {
    for (int i = 1; i <= 10; i++) {
      JsonNode decision = consume("alice", "ai_generations");
      assertThat(decision.get("allowed").asBoolean()).as("generation %d", i).isTrue();
      assertThat(decision.at("/items/0/remaining").asLong()).isEqualTo(10 - i);
    }
    JsonNode denied = consume("alice", "ai_generations");
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("reason").asText()).isEqualTo("quota_exceeded");
    assertThat(denied.at("/items/0/limit").asLong()).isEqualTo(10);
    assertThat(denied.at("/items/0/remaining").asLong()).isZero();
    assertThat(denied.at("/items/0/resetsAt").asText()).isEqualTo("2026-04-01T00:00:00Z");

    TestServer.Response grant = server.post("/v1/subjects/alice/grants", TestServer.ADMIN_KEY,
        "{\"metric\":\"ai_generations\",\"amount\":5,\"reason\":\"sorry for the outage\"}");
    assertThat(grant.status()).as(grant.toString()).isEqualTo(201);
    for (int i = 1; i <= 5; i++) {
      JsonNode decision = consume("alice", "ai_generations");
      assertThat(decision.get("allowed").asBoolean()).as("bonus generation %d", i).isTrue();
      assertThat(decision.at("/items/0/fromBonus").asLong()).isEqualTo(1);
      assertThat(decision.at("/items/0/bonusRemaining").asLong()).isEqualTo(5 - i);
    }
    assertThat(consume("alice", "ai_generations").get("allowed").asBoolean()).isFalse();

    TestServer.Response upgrade = server.put("/v1/subjects/alice", TestServer.ADMIN_KEY, "{\"plan\":\"starter\"}");
    assertThat(upgrade.status()).as(upgrade.toString()).isEqualTo(200);
    JsonNode after = consume("alice", "ai_generations");
    assertThat(after.get("allowed").asBoolean()).isTrue();
    assertThat(after.at("/items/0/limit").asLong()).isEqualTo(100);
    // Usage carried over: the 11th plan unit of this month, not the first.
    assertThat(after.at("/items/0/fromPlan").asLong()).isEqualTo(1);
    assertThat(after.at("/items/0/remaining").asLong()).isEqualTo(89);

    JsonNode usage = server.get("/v1/subjects/alice/usage", service).json();
    assertThat(usage.get("plan").asText()).isEqualTo("starter");
    JsonNode generations = metric(usage, "ai_generations");
    assertThat(generations.get("limit").asLong()).isEqualTo(100);
    assertThat(generations.get("remaining").asLong()).isEqualTo(89);
    assertThat(generations.get("resetsAt").asText()).isEqualTo("2026-04-01T00:00:00Z");
  }

  @Test
  void three_projects_then_a_denial_and_a_refund_after_a_delete_allows_one_more() {
    String[] eventIds = new String[3];
    for (int i = 0; i < 3; i++) {
      JsonNode decision = consume("bob", "projects");
      assertThat(decision.get("allowed").asBoolean()).isTrue();
      eventIds[i] = decision.get("eventId").asText();
    }
    JsonNode denied = consume("bob", "projects");
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("reason").asText()).isEqualTo("quota_exceeded");
    assertThat(denied.at("/items/0/limit").asLong()).isEqualTo(3);
    assertThat(denied.at("/items/0/resetsAt").isNull()).isTrue();

    // Bob deletes his second project: the product refunds the consume that created it.
    TestServer.Response refund = server.post("/v1/refunds", service, "{\"eventId\":\"" + eventIds[1] + "\"}");
    assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
    assertThat(refund.json().at("/items/0/used").asLong()).isEqualTo(2);

    assertThat(consume("bob", "projects").get("allowed").asBoolean()).isTrue();
    assertThat(consume("bob", "projects").get("allowed").asBoolean()).isFalse();
  }

  static JsonNode metric(JsonNode usage, String name) {
    for (JsonNode m : usage.get("metrics")) {
      if (m.get("metric").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no metric " + name + " in " + usage);
  }
}
