package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each endpoint doing its job. */
class EndpointsTest {
  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestServer.Response ok(TestServer.Response r, int status) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    return r;
  }

  @Test
  void consume_with_items_decides_all_together() {
    ok(server.put("/v1/subjects/chat-user", ADMIN_KEY, "{\"plan\":\"chat\"}"), 200);
    JsonNode d = ok(server.post("/v1/consume", service,
        "{\"subject\":\"chat-user\",\"items\":[{\"metric\":\"messages\",\"amount\":1},"
            + "{\"metric\":\"premium_messages\",\"amount\":1}],\"metadata\":{\"model\":\"large\",\"tokens\":512,\"beta\":true}}"), 200).json();
    assertThat(d.get("allowed").asBoolean()).isTrue();
    assertThat(d.get("reason").isNull()).isTrue();
    assertThat(d.get("eventId").asText()).matches("[0-9]+");
    assertThat(d.get("items")).hasSize(2);
    assertThat(d.at("/items/0/metric").asText()).isEqualTo("messages");
    assertThat(d.at("/items/0/remaining").asLong()).isEqualTo(99);
    assertThat(d.at("/items/1/remaining").asLong()).isEqualTo(19);
    for (String member : List.of("limit", "used", "remaining", "bonusRemaining", "resetsAt", "fromPlan", "fromBonus", "overage")) {
      assertThat(d.at("/items/0").has(member)).as(member).isTrue();
    }
    JsonNode events = ok(server.get("/v1/events?subject=chat-user&type=consume", ADMIN_KEY), 200).json();
    assertThat(events.at("/events/0/metadata/tokens").asText()).isEqualTo("512");
    assertThat(events.at("/events/0/metadata/beta").asText()).isEqualTo("true");
  }

  @Test
  void a_metric_outside_the_plan_is_denied_with_its_reason() {
    JsonNode d = ok(server.post("/v1/consume", service, "{\"subject\":\"u-plan\",\"metric\":\"messages\",\"amount\":1}"), 200).json();
    assertThat(d.get("allowed").asBoolean()).isFalse();
    assertThat(d.get("reason").asText()).isEqualTo("metric_not_in_plan");
  }

  @Test
  void check_decides_without_consuming() {
    JsonNode d = ok(server.post("/v1/check", service, "{\"subject\":\"u-check\",\"metric\":\"exports\",\"amount\":1}"), 200).json();
    assertThat(d.get("allowed").asBoolean()).isTrue();
    assertThat(d.get("eventId").isNull()).isTrue();
    JsonNode usage = ok(server.get("/v1/subjects/u-check/usage", service), 200).json();
    assertThat(SeedsStoryTest.metric(usage, "exports").get("used").asLong()).isZero();
  }

  @Test
  void batch_decides_each_request_on_its_own() {
    JsonNode r = ok(server.post("/v1/consume/batch", service,
        "{\"requests\":[{\"subject\":\"u-batch\",\"metric\":\"exports\",\"amount\":1,\"idempotencyKey\":\"b1\"},"
            + "{\"subject\":\"u-batch\",\"metric\":\"exports\",\"amount\":1},"
            + "{\"subject\":\"u-batch2\",\"metric\":\"exports\",\"amount\":1}]}"), 200).json();
    assertThat(r.get("results")).hasSize(3);
    assertThat(r.at("/results/0/allowed").asBoolean()).isTrue();
    assertThat(r.at("/results/1/allowed").asBoolean()).isFalse();
    assertThat(r.at("/results/1/reason").asText()).isEqualTo("quota_exceeded");
    assertThat(r.at("/results/2/allowed").asBoolean()).as(r.toString()).isTrue();
    JsonNode again = ok(server.post("/v1/consume/batch", service,
        "{\"requests\":[{\"subject\":\"u-batch\",\"metric\":\"exports\",\"amount\":1,\"idempotencyKey\":\"b1\"}]}"), 200).json();
    assertThat(again.at("/results/0/replayed").asBoolean()).isTrue();
    assertThat(again.at("/results/0/eventId").asText()).isEqualTo(r.at("/results/0/eventId").asText());
  }

  @Test
  void refund_by_idempotency_key_gives_units_back() {
    ok(server.send("POST", "/v1/consume", service, "{\"subject\":\"u-refund\",\"metric\":\"ai_generations\",\"amount\":3}",
        java.util.Map.of("Content-Type", "application/json", "Idempotency-Key", "gen-42")), 200);
    JsonNode refund = ok(server.post("/v1/refunds", service,
        "{\"subject\":\"u-refund\",\"idempotencyKey\":\"gen-42\",\"amount\":2}"), 200).json();
    assertThat(refund.at("/items/0/amount").asLong()).isEqualTo(2);
    assertThat(refund.at("/items/0/used").asLong()).isEqualTo(1);
    TestServer.Response tooMuch = server.post("/v1/refunds", service,
        "{\"subject\":\"u-refund\",\"idempotencyKey\":\"gen-42\",\"amount\":2}");
    assertThat(tooMuch.status()).isEqualTo(409);
    assertThat(tooMuch.problemType()).isEqualTo("not-refundable");
    assertThat(tooMuch.json().get("refundable").asLong()).isEqualTo(1);
    assertThat(server.post("/v1/refunds", service, "{\"eventId\":\"999999999\"}").status()).isEqualTo(404);
  }

  @Test
  void reservations_hold_then_commit_or_release() {
    JsonNode held = ok(server.post("/v1/reservations", service,
        "{\"subject\":\"u-res\",\"metric\":\"ai_generations\",\"amount\":5,\"ttlSeconds\":60}"), 200).json();
    assertThat(held.get("allowed").asBoolean()).isTrue();
    String id = held.get("reservationId").asText();
    assertThat(held.get("expiresAt").asText()).isNotEmpty();
    JsonNode usage = ok(server.get("/v1/subjects/u-res/usage", service), 200).json();
    assertThat(SeedsStoryTest.metric(usage, "ai_generations").get("held").asLong()).isEqualTo(5);

    JsonNode committed = ok(server.post("/v1/reservations/" + id + "/commit", service, "{\"amounts\":{\"ai_generations\":3}}"), 200).json();
    assertThat(committed.get("state").asText()).isEqualTo("committed");
    assertThat(committed.at("/items/0/committed").asLong()).isEqualTo(3);
    usage = ok(server.get("/v1/subjects/u-res/usage", service), 200).json();
    assertThat(SeedsStoryTest.metric(usage, "ai_generations").get("used").asLong()).isEqualTo(3);
    assertThat(SeedsStoryTest.metric(usage, "ai_generations").get("held").asLong()).isZero();

    String second = ok(server.post("/v1/reservations", service,
        "{\"subject\":\"u-res\",\"metric\":\"ai_generations\",\"amount\":2,\"ttlSeconds\":60}"), 200).json().get("reservationId").asText();
    JsonNode released = ok(server.send("POST", "/v1/reservations/" + second + "/release", service, null, java.util.Map.of()), 200).json();
    assertThat(released.get("state").asText()).isEqualTo("released");
    TestServer.Response again = server.send("POST", "/v1/reservations/" + second + "/release", service, null, java.util.Map.of());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problemType()).isEqualTo("reservation-closed");
    assertThat(server.send("POST", "/v1/reservations/nope/commit", service, null, java.util.Map.of()).status()).isEqualTo(404);

    JsonNode denied = ok(server.post("/v1/reservations", service,
        "{\"subject\":\"u-res\",\"metric\":\"ai_generations\",\"amount\":8,\"ttlSeconds\":60}"), 200).json();
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("reservationId").isNull()).isTrue();
  }

  @Test
  void plans_are_put_read_and_listed() {
    JsonNode plan = ok(server.put("/v1/plans/pro", ADMIN_KEY,
        "{\"limits\":{\"ai_generations\":{\"limit\":1000,\"period\":\"billing_month\",\"enforcement\":\"soft\","
            + "\"overagePrice\":{\"amount\":\"0.02\",\"currency\":\"USD\"},\"rate\":{\"perSecond\":5,\"burst\":10}},"
            + "\"projects\":{\"limit\":null,\"period\":\"total\"}}}"), 200).json();
    assertThat(plan.at("/limits/ai_generations/enforcement").asText()).isEqualTo("soft");
    JsonNode read = ok(server.get("/v1/plans/pro", ADMIN_KEY), 200).json();
    assertThat(read.at("/limits/ai_generations/overagePrice/amount").asText()).isEqualTo("0.02");
    assertThat(read.at("/limits/ai_generations/rate/burst").asLong()).isEqualTo(10);
    assertThat(read.at("/limits/projects/limit").isNull()).isTrue();
    assertThat(read.at("/limits/projects/enforcement").asText()).isEqualTo("hard");
    List<String> names = new ArrayList<>();
    ok(server.get("/v1/plans", ADMIN_KEY), 200).json().get("plans").forEach(p -> names.add(p.get("name").asText()));
    assertThat(names).contains("free", "starter", "growth", "chat", "pro");
    TestServer.Response missing = server.get("/v1/plans/nope", ADMIN_KEY);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.problemType()).isEqualTo("not-found");
  }

  @Test
  void a_concurrent_limit_caps_units_in_flight_over_http() {
    ok(server.put("/v1/plans/one-at-a-time", ADMIN_KEY,
        "{\"limits\":{\"generations\":{\"limit\":1,\"period\":\"concurrent\"}}}"), 200);
    ok(server.put("/v1/subjects/u-conc", ADMIN_KEY, "{\"plan\":\"one-at-a-time\"}"), 200);
    String reserve = "{\"subject\":\"u-conc\",\"metric\":\"generations\",\"amount\":1,\"ttlSeconds\":60}";
    JsonNode first = ok(server.post("/v1/reservations", service, reserve), 200).json();
    assertThat(first.get("allowed").asBoolean()).isTrue();
    JsonNode second = ok(server.post("/v1/reservations", service, reserve), 200).json();
    assertThat(second.get("allowed").asBoolean()).isFalse();
    assertThat(second.get("reason").asText()).isEqualTo("quota_exceeded");
    ok(server.post("/v1/reservations/" + first.get("reservationId").asText() + "/commit", service, "{}"), 200);
    JsonNode usage = ok(server.get("/v1/subjects/u-conc/usage", service), 200).json();
    assertThat(usage.at("/metrics/0/period").asText()).isEqualTo("concurrent");
    assertThat(usage.at("/metrics/0/used").asLong()).as("never counted as usage").isZero();
    assertThat(usage.at("/metrics/0/remaining").asLong()).isEqualTo(1);

    TestServer.Response soft = server.put("/v1/plans/bad-concurrent", ADMIN_KEY,
        "{\"limits\":{\"generations\":{\"limit\":1,\"period\":\"concurrent\",\"enforcement\":\"soft\"}}}");
    assertThat(soft.status()).as(soft.toString()).isEqualTo(422);
    assertThat(soft.body()).contains("enforcement");
  }

  @Test
  void a_plan_carries_its_price_and_upgrade_link_and_bad_ones_are_refused_by_field() {
    JsonNode plan = ok(server.put("/v1/plans/priced", ADMIN_KEY,
        "{\"limits\":{\"exports\":{\"limit\":5,\"period\":\"month\"}},"
            + "\"price\":{\"amount\":\"19.90\",\"currency\":\"EUR\",\"per\":\"month\"},"
            + "\"upgradeUrl\":\"https://example.com/upgrade?plan=priced\"}"), 200).json();
    assertThat(plan.at("/price/amount").asText()).isEqualTo("19.90");
    JsonNode read = ok(server.get("/v1/plans/priced", ADMIN_KEY), 200).json();
    assertThat(read.at("/price/currency").asText()).isEqualTo("EUR");
    assertThat(read.at("/price/per").asText()).isEqualTo("month");
    assertThat(read.get("upgradeUrl").asText()).isEqualTo("https://example.com/upgrade?plan=priced");
    JsonNode free = ok(server.get("/v1/plans/free", ADMIN_KEY), 200).json();
    assertThat(free.at("/price/amount").asText()).isEqualTo("0");
    assertThat(free.get("upgradeUrl").isNull()).isTrue();
    ok(server.put("/v1/plans/priced", ADMIN_KEY, "{\"limits\":{\"exports\":{\"limit\":5,\"period\":\"month\"}}}"), 200);
    assertThat(ok(server.get("/v1/plans/priced", ADMIN_KEY), 200).json().get("price").isNull()).isTrue();

    String limits = "{\"limits\":{\"exports\":{\"limit\":5,\"period\":\"month\"}},";
    Map<String, String> refusals = Map.of(
        limits + "\"price\":{\"amount\":\"-1\",\"currency\":\"EUR\",\"per\":\"month\"}}", "price.amount",
        limits + "\"price\":{\"amount\":\"1\",\"currency\":\"EURO\",\"per\":\"month\"}}", "price.currency",
        limits + "\"price\":{\"amount\":\"1\",\"currency\":\"EUR\",\"per\":\"week\"}}", "price.per",
        limits + "\"price\":{\"amount\":\"1\",\"currency\":\"EUR\"}}", "price.per",
        limits + "\"upgradeUrl\":\"javascript:alert(1)\"}", "upgradeUrl",
        limits + "\"upgradeUrl\":\"/relative\"}", "upgradeUrl");
    refusals.forEach((body, field) -> {
      TestServer.Response refused = server.put("/v1/plans/priced-bad", ADMIN_KEY, body);
      assertThat(refused.status()).as(body).isEqualTo(422);
      assertThat(refused.field()).as(body).isEqualTo(field);
    });
    assertThat(server.get("/v1/plans/priced-bad", ADMIN_KEY).status()).isEqualTo(404);
  }

  @Test
  void subjects_are_put_and_read() {
    JsonNode s = ok(server.put("/v1/subjects/u-subj", ADMIN_KEY,
        "{\"plan\":\"growth\",\"billingAnchor\":\"2026-01-31T00:00:00Z\",\"metadata\":{\"team\":\"core\"}}"), 200).json();
    assertThat(s.get("plan").asText()).isEqualTo("growth");
    JsonNode read = ok(server.get("/v1/subjects/u-subj", ADMIN_KEY), 200).json();
    assertThat(read.get("billingAnchor").asText()).isEqualTo("2026-01-31T00:00:00Z");
    assertThat(read.at("/metadata/team").asText()).isEqualTo("core");
    // A field left out keeps its value.
    ok(server.put("/v1/subjects/u-subj", ADMIN_KEY, "{\"plan\":\"starter\"}"), 200);
    read = ok(server.get("/v1/subjects/u-subj", ADMIN_KEY), 200).json();
    assertThat(read.get("billingAnchor").asText()).isEqualTo("2026-01-31T00:00:00Z");
    assertThat(server.get("/v1/subjects/nobody", ADMIN_KEY).status()).isEqualTo(404);
    TestServer.Response unknownPlan = server.put("/v1/subjects/u-subj", ADMIN_KEY, "{\"plan\":\"platinum\"}");
    assertThat(unknownPlan.status()).as(unknownPlan.toString()).isEqualTo(404);
  }

  @Test
  void grants_are_given_and_listed() {
    JsonNode g = ok(server.post("/v1/subjects/u-grant/grants", ADMIN_KEY,
        "{\"metric\":\"exports\",\"amount\":5,\"expiresAt\":\"2099-01-01T00:00:00Z\",\"reason\":\"promo\"}"), 201).json();
    assertThat(g.get("remaining").asLong()).isEqualTo(5);
    JsonNode list = ok(server.get("/v1/subjects/u-grant/grants", ADMIN_KEY), 200).json();
    assertThat(list.get("grants")).hasSize(1);
    assertThat(list.at("/grants/0/reason").asText()).isEqualTo("promo");
  }

  @Test
  void reset_starts_a_metric_again_from_zero() {
    ok(server.post("/v1/consume", service, "{\"subject\":\"u-reset\",\"metric\":\"exports\",\"amount\":1}"), 200);
    JsonNode reset = ok(server.post("/v1/subjects/u-reset/reset", ADMIN_KEY, "{\"metric\":\"exports\"}"), 200).json();
    assertThat(reset.get("eventId").asText()).matches("[0-9]+");
    JsonNode usage = ok(server.get("/v1/subjects/u-reset/usage", service), 200).json();
    assertThat(SeedsStoryTest.metric(usage, "exports").get("used").asLong()).isZero();
    ok(server.send("POST", "/v1/subjects/u-reset/reset", ADMIN_KEY, null, java.util.Map.of()), 200);
  }

  @Test
  void events_page_with_a_cursor() {
    for (int i = 0; i < 3; i++) {
      ok(server.post("/v1/consume", service, "{\"subject\":\"u-events\",\"metric\":\"ai_generations\",\"amount\":1}"), 200);
    }
    JsonNode first = ok(server.get("/v1/events?subject=u-events&type=consume&limit=2", ADMIN_KEY), 200).json();
    assertThat(first.get("events")).hasSize(2);
    String cursor = first.get("nextCursor").asText();
    JsonNode second = ok(server.get("/v1/events?subject=u-events&type=consume&limit=2&after=" + cursor, ADMIN_KEY), 200).json();
    assertThat(second.get("events")).hasSize(1);
    assertThat(second.at("/events/0/scope").asText()).startsWith("key:");
    // A page that is not full still says where to go on from: asking again finds nothing new.
    String reached = second.get("nextCursor").asText();
    JsonNode third = ok(server.get("/v1/events?subject=u-events&type=consume&limit=2&after=" + reached, ADMIN_KEY), 200).json();
    assertThat(third.get("events")).isEmpty();
    assertThat(io.quotient.feed.FeedCursor.parse(third.get("nextCursor").asText()))
        .isGreaterThanOrEqualTo(io.quotient.feed.FeedCursor.parse(reached));
  }

  @Test
  void keys_are_created_listed_without_secrets_and_revoked_at_once() {
    JsonNode created = ok(server.post("/v1/keys", ADMIN_KEY, "{\"name\":\"billing\",\"role\":\"service\"}"), 201).json();
    String key = created.get("key").asText();
    String id = created.get("id").asText();
    assertThat(key).startsWith("qk_");
    ok(server.post("/v1/check", key, "{\"subject\":\"u-key\",\"metric\":\"exports\",\"amount\":1}"), 200);
    String listing = ok(server.get("/v1/keys", ADMIN_KEY), 200).body();
    assertThat(listing).contains(id).doesNotContain(key).doesNotContain("hash");
    JsonNode revoked = ok(server.delete("/v1/keys/" + id, ADMIN_KEY), 200).json();
    assertThat(revoked.get("revokedAt").isNull()).isFalse();
    TestServer.Response refused = server.post("/v1/check", key, "{\"subject\":\"u-key\",\"metric\":\"exports\",\"amount\":1}");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo("unauthorized");
    assertThat(server.delete("/v1/keys/key_nope", ADMIN_KEY).status()).isEqualTo(404);
  }

  @Test
  void the_last_admin_key_cannot_be_revoked() {
    String id = null;
    for (JsonNode k : ok(server.get("/v1/keys", ADMIN_KEY), 200).json().get("keys")) {
      if (k.get("name").asText().equals("bootstrap admin")) {
        id = k.get("id").asText();
      }
    }
    TestServer.Response r = server.delete("/v1/keys/" + id, ADMIN_KEY);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.problemType()).isEqualTo("last-admin-key");
  }
}
