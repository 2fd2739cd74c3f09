package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signals over HTTP on a hand-moved clock: the risk of one subject and the riskiest, the
 * conflicts and refused credentials the server reports, one event per episode, and the rules.
 */
class SignalsHttpTest {
  private static final MutableClock clock = MutableClock.at("2026-05-04T09:00:00Z");
  static TestServer server;
  static String service;
  static String read;

  @BeforeAll
  static void start() {
    server = TestServer.start(clock, UnaryOperator.identity());
    service = server.createKey("service");
    read = server.createKey("read");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void subject(String id) {
    assertThat(server.put("/v1/subjects/" + id, ADMIN_KEY, "{\"plan\":\"free\"}").status()).isIn(200, 201);
  }

  /** Exports: the free plan allows one a month, so every later one is a denial. */
  private static void export(String subject) {
    clock.advance(Duration.ofSeconds(1));
    TestServer.Response r = server.post("/v1/consume", service, "{\"subject\":\"" + subject + "\",\"metric\":\"exports\",\"amount\":1}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private static JsonNode riskOnce(String subject) {
    TestServer.Response r = server.get("/v1/subjects/" + subject + "/risk", read);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static JsonNode riskWhen(String subject, int score) throws InterruptedException {
    Eventually.await("risk of " + subject + " reaches " + score, Duration.ofSeconds(20), () -> riskOnce(subject).get("score").asInt() == score);
    return riskOnce(subject);
  }

  /** The {@code abuse.detected} events whose data names {@code target}. */
  private static List<JsonNode> abuse(String target) {
    List<JsonNode> out = new ArrayList<>();
    String after = "";
    while (true) {
      JsonNode page = server.get("/v1/events?type=abuse.detected&limit=1000" + (after.isEmpty() ? "" : "&after=" + after), ADMIN_KEY).json();
      for (JsonNode event : page.get("events")) {
        JsonNode detail = event.get("detail");
        if (target.equals(detail.path("target").asText(event.path("subject").asText()))) {
          out.add(event);
        }
      }
      if (page.get("events").size() < 1000) {
        return out;
      }
      after = page.get("nextCursor").asText();
    }
  }

  @Test
  void a_subject_without_signals_has_score_zero() {
    subject("quiet-1");
    export("quiet-1");
    JsonNode risk = riskOnce("quiet-1");
    assertThat(risk.toString()).isEqualTo("{\"subject\":\"quiet-1\",\"score\":0,\"band\":\"none\",\"signals\":[]}");
    assertThat(server.get("/v1/subjects/nobody-at-all/risk", read).status()).isEqualTo(404);
  }

  @Test
  void a_denial_burst_and_conflicts_make_the_risk_with_their_evidence_and_the_riskiest_come_first() throws Exception {
    subject("burst-1");
    subject("both-1");
    for (int i = 0; i < 6; i++) {
      export("burst-1");
      export("both-1");
    }
    // Three retries of one key with other parameters: three 422s, a race.
    for (int i = 1; i <= 4; i++) {
      TestServer.Response r = server.postWithKey("/v1/consume", service, "k-1",
          "{\"subject\":\"both-1\",\"metric\":\"ai_generations\",\"amount\":" + i + "}");
      assertThat(r.status()).isEqualTo(i == 1 ? 200 : 422);
    }
    JsonNode burst = riskWhen("burst-1", 30);
    assertThat(burst.get("band").asText()).isEqualTo("medium");
    JsonNode signal = burst.get("signals").get(0);
    assertThat(signal.get("signal").asText()).isEqualTo("denial_burst");
    assertThat(signal.get("score").asInt()).isEqualTo(30);
    assertThat(signal.get("evidence").get("denials").asText()).isEqualTo("5");
    assertThat(signal.get("hits").asLong()).isEqualTo(1);

    JsonNode both = riskWhen("both-1", 60);
    assertThat(both.get("band").asText()).isEqualTo("high");
    assertThat(both.get("signals").findValuesAsText("signal")).containsExactlyInAnyOrder("denial_burst", "race");
    assertThat(abuse("both-1")).hasSize(2);

    JsonNode riskiest = server.get("/v1/risk?min=50", read).json().get("subjects");
    assertThat(riskiest.findValuesAsText("subject")).contains("both-1").doesNotContain("burst-1", "quiet-1");
    List<String> all = server.get("/v1/risk", read).json().get("subjects").findValuesAsText("subject");
    assertThat(all.indexOf("both-1")).isLessThan(all.indexOf("burst-1"));
  }

  /**
   * Waits until every report the server queued before this call has been handled: the reports are
   * handled one after another, in order, so once three conflicts queued now show in a fresh
   * subject's risk, everything before them has been handled too.
   */
  private static void reportsHandled() throws InterruptedException {
    String fence = "fence-" + System.nanoTime();
    subject(fence);
    for (int i = 1; i <= 4; i++) {
      server.postWithKey("/v1/consume", service, "k-fence", "{\"subject\":\"" + fence + "\",\"metric\":\"ai_generations\",\"amount\":" + i + "}");
    }
    riskWhen(fence, 30);
  }

  @Test
  void ten_requests_for_one_subject_in_one_batch_are_a_race() throws Exception {
    subject("batch-1");
    StringBuilder body = new StringBuilder("{\"requests\":[");
    for (int i = 0; i < 10; i++) {
      body.append(i == 0 ? "" : ",").append("{\"subject\":\"batch-1\",\"metric\":\"ai_generations\",\"amount\":1}");
    }
    TestServer.Response r = server.post("/v1/consume/batch", service, body.append("]}").toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode risk = riskWhen("batch-1", 30);
    JsonNode race = risk.get("signals").get(0);
    assertThat(race.get("signal").asText()).isEqualTo("race");
    // One engine transaction usually takes the whole batch ("one batch"); when the engine's writers
    // split it, the clock has not moved and the 10 ms rule sees the same ten.
    assertThat(race.get("evidence").get("within").asText()).isIn("one batch", "10 ms");
    assertThat(abuse("batch-1")).hasSize(1);
  }

  @Test
  void refused_credentials_from_one_address_are_one_episode_of_credential_abuse() throws Exception {
    for (int i = 0; i < 30; i++) {
      TestServer.Response r = server.get("/v1/plans", "qk_never-issued-" + i);
      assertThat(r.status()).isEqualTo(401);
    }
    reportsHandled();
    List<JsonNode> found = abuse("address:127.0.0.1");
    assertThat(found).hasSize(1);
    JsonNode detail = found.get(0).get("detail");
    assertThat(detail.get("signal").asText()).isEqualTo("credential_abuse");
    assertThat(detail.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(detail.get("lastStatus").asText()).isEqualTo("401");

    // A read key refused an admin route, over and over: the key's own episode.
    for (int i = 0; i < 10; i++) {
      assertThat(server.get("/v1/keys", read).status()).isEqualTo(403);
    }
    reportsHandled();
    List<JsonNode> keys = new ArrayList<>();
    for (JsonNode event : server.get("/v1/events?type=abuse.detected&limit=1000", ADMIN_KEY).json().get("events")) {
      if (event.get("detail").path("target").asText().startsWith("key:")) {
        keys.add(event);
      }
    }
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).get("detail").get("lastStatus").asText()).isEqualTo("403");
  }

  @Test
  void rules_are_read_by_read_keys_changed_by_admins_and_bad_ones_name_the_field() throws Exception {
    JsonNode defaults = server.get("/v1/signal-rules", read).json();
    assertThat(defaults.toString()).isEqualTo(
        "{\"denialBurst\":{\"count\":5,\"windowSeconds\":60},\"race\":{\"requests\":10,\"windowMillis\":10,\"conflicts\":3,"
            + "\"conflictWindowSeconds\":60},\"spike\":{\"factor\":3,\"minUnits\":20,\"minHistoryHours\":24},"
            + "\"credentialAbuse\":{\"failures\":10,\"windowSeconds\":60},\"episodeQuietSeconds\":600}");
    TestServer.Response bad = server.put("/v1/signal-rules", ADMIN_KEY, "{\"spike\":{\"factor\":\"0.5\"}}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.field()).isEqualTo("spike.factor");
    TestServer.Response unknown = server.put("/v1/signal-rules", ADMIN_KEY, "{\"race\":{\"speed\":1}}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.field()).isEqualTo("race.speed");
    assertThat(server.put("/v1/signal-rules", read, "{}").status()).isEqualTo(403);

    TestServer.Response put = server.put("/v1/signal-rules", ADMIN_KEY, "{\"denialBurst\":{\"count\":2}}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().get("denialBurst").toString()).isEqualTo("{\"count\":2,\"windowSeconds\":60}");
    try {
      subject("strict-1");
      export("strict-1");
      export("strict-1");
      export("strict-1"); // two denials: a burst under the operator's rule
      assertThat(riskWhen("strict-1", 30).get("signals").get(0).get("evidence").get("denials").asText()).isEqualTo("2");
    } finally {
      assertThat(server.put("/v1/signal-rules", ADMIN_KEY, "{}").json()).isEqualTo(defaults);
    }
  }
}
