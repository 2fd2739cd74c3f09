package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/transfers}: allowance then grants, a grant on the receiver, atomic and idempotent. */
class TransferTest {
  static final MutableClock clock = MutableClock.at("2026-11-15T12:00:00Z");
  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start(clock, UnaryOperator.identity());
    service = server.createKey("service");
    server.put("/v1/plans/tr", ADMIN_KEY, "{\"limits\":{\"gifts\":{\"limit\":10,\"period\":\"month\"},"
        + "\"seats\":{\"limit\":5,\"period\":\"total\"}}}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void onPlan(String... subjects) {
    for (String subject : subjects) {
      assertThat(server.put("/v1/subjects/" + subject, ADMIN_KEY, "{\"plan\":\"tr\"}").status()).isEqualTo(200);
    }
  }

  static TestServer.Response transfer(String key, String from, String to, String metric, long amount) {
    String body = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"metric\":\"" + metric + "\",\"amount\":" + amount + "}";
    return key == null ? server.post("/v1/transfers", service, body) : server.postWithKey("/v1/transfers", service, key, body);
  }

  static JsonNode usage(String subject, String metric) {
    return SeedsStoryTest.metric(server.get("/v1/subjects/" + subject + "/usage", ADMIN_KEY).json(), metric);
  }

  @Test
  void units_leave_the_allowance_then_grants_and_arrive_as_a_grant_until_the_window_ends() {
    onPlan("tr-a", "tr-b");
    TestServer.Response moved = transfer(null, "tr-a", "tr-b", "gifts", 4);
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().path("fromPlan").asLong()).isEqualTo(4);
    assertThat(moved.json().path("expiresAt").asText()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(usage("tr-a", "gifts").path("remaining").asLong()).isEqualTo(6);
    assertThat(usage("tr-b", "gifts").path("bonusRemaining").asLong()).isEqualTo(4);
    JsonNode grant = server.get("/v1/subjects/tr-b/grants", ADMIN_KEY).json().path("grants").get(0);
    assertThat(grant.path("id").asText()).isEqualTo(moved.json().path("grantId").asText());
    assertThat(grant.path("reason").asText()).isEqualTo("transfer from tr-a");

    // More than is left: refused, nothing moves.
    TestServer.Response refused = transfer(null, "tr-a", "tr-b", "gifts", 7);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.problemType()).isEqualTo("insufficient-units");
    assertThat(usage("tr-a", "gifts").path("remaining").asLong()).isEqualTo(6);

    // With a grant of its own, the allowance goes first, then the grant.
    server.post("/v1/subjects/tr-a/grants", ADMIN_KEY, "{\"metric\":\"gifts\",\"amount\":5}");
    TestServer.Response both = transfer(null, "tr-a", "tr-b", "gifts", 8);
    assertThat(both.json().path("fromPlan").asLong()).isEqualTo(6);
    assertThat(both.json().path("fromBonus").asLong()).isEqualTo(2);
    assertThat(usage("tr-a", "gifts").path("bonusRemaining").asLong()).isEqualTo(3);
    assertThat(usage("tr-b", "gifts").path("bonusRemaining").asLong()).isEqualTo(12);

    // The receiver uses its allowance, then the transferred units.
    for (int i = 0; i < 22; i++) {
      assertThat(server.post("/v1/consume", service, "{\"subject\":\"tr-b\",\"metric\":\"gifts\",\"amount\":1}")
          .json().path("allowed").asBoolean()).isTrue();
    }
    assertThat(server.post("/v1/consume", service, "{\"subject\":\"tr-b\",\"metric\":\"gifts\",\"amount\":1}")
        .json().path("allowed").asBoolean()).isFalse();

    // Both sides are in the feed.
    JsonNode out = server.get("/v1/events?type=transfer&subject=tr-a", ADMIN_KEY).json().path("events");
    JsonNode in = server.get("/v1/events?type=transfer&subject=tr-b", ADMIN_KEY).json().path("events");
    assertThat(out).hasSize(2);
    assertThat(in).hasSize(2);
    assertThat(out.get(0).path("detail").path("direction").asText()).isEqualTo("out");
    assertThat(in.get(0).path("detail").path("from").asText()).isEqualTo("tr-a");
    assertThat(in.get(0).path("relatedEventId").asText()).isEqualTo(out.get(0).path("id").asText());
  }

  @Test
  void a_total_limit_gives_a_grant_without_expiry() {
    onPlan("tr-c", "tr-d");
    TestServer.Response moved = transfer(null, "tr-c", "tr-d", "seats", 2);
    assertThat(moved.json().path("expiresAt").isNull()).isTrue();
  }

  @Test
  void a_retry_replays_and_moves_nothing_more() {
    onPlan("tr-e", "tr-f");
    TestServer.Response first = transfer("gift-1", "tr-e", "tr-f", "gifts", 3);
    TestServer.Response again = transfer("gift-1", "tr-e", "tr-f", "gifts", 3);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(usage("tr-e", "gifts").path("remaining").asLong()).isEqualTo(7);
    assertThat(usage("tr-f", "gifts").path("bonusRemaining").asLong()).isEqualTo(3);
    TestServer.Response other = transfer("gift-1", "tr-e", "tr-f", "gifts", 4);
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.problemType()).isEqualTo("idempotency-key-mismatch");
  }

  @Test
  void bad_transfers_name_their_field() {
    onPlan("tr-g");
    assertThat(transfer(null, "tr-g", "tr-g", "gifts", 1).field()).isEqualTo("to");
    assertThat(transfer(null, "tr-g", "tr-h", "gifts", 0).field()).isEqualTo("amount");
    assertThat(transfer(null, "tr-g", "tr-h", "messages", 1).field()).isEqualTo("metric");
    assertThat(transfer(null, "tr-nobody", "tr-g", "gifts", 1).status()).isEqualTo(404);
    assertThat(server.post("/v1/transfers", server.createKey("read"), "{}").status()).isEqualTo(403);
  }

  /**
   * 32 threads move units back and forth between two subjects, with retries of their own keys.
   * Oracle: each side's used units equal what its successful transfers took, the grants each got
   * equal what the other's successful transfers sent, and the units both can still use stay 20.
   */
  @Test
  void thirty_two_threads_conserve_units() throws Exception {
    onPlan("tr-x", "tr-y");
    int threads = 32;
    int perThread = 15;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        long[] sent = new long[3]; // units x->y, units y->x, transfers
        go.await();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < perThread; i++) {
          boolean xToY = random.nextBoolean();
          long amount = 1 + random.nextInt(3);
          String key = "c-" + thread + "-" + i;
          String from = xToY ? "tr-x" : "tr-y";
          String to = xToY ? "tr-y" : "tr-x";
          TestServer.Response r = transfer(key, from, to, "gifts", amount);
          if (r.status() != 200) {
            assertThat(r.problemType()).as(r.toString()).isEqualTo("insufficient-units");
          }
          if (random.nextInt(4) == 0) {
            // A refusal stores nothing, so its retry is decided again; a success is replayed.
            TestServer.Response retry = transfer(key, from, to, "gifts", amount);
            if (r.status() == 200) {
              assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
              assertThat(retry.json().path("eventId")).isEqualTo(r.json().path("eventId"));
            } else {
              r = retry;
            }
          }
          if (r.status() == 200) {
            sent[xToY ? 0 : 1] += amount;
            sent[2]++;
          }
        }
        return sent;
      }));
    }
    go.countDown();
    long xToY = 0;
    long yToX = 0;
    long transfers = 0;
    for (Future<long[]> future : futures) {
      long[] sent = future.get();
      xToY += sent[0];
      yToX += sent[1];
      transfers += sent[2];
    }
    pool.shutdown();
    JsonNode x = usage("tr-x", "gifts");
    JsonNode y = usage("tr-y", "gifts");
    assertThat(x.path("used").asLong()).isEqualTo(xToY);
    assertThat(y.path("used").asLong()).isEqualTo(yToX);
    assertThat(grantTotal("tr-y")).isEqualTo(xToY);
    assertThat(grantTotal("tr-x")).isEqualTo(yToX);
    long usable = x.path("remaining").asLong() + x.path("bonusRemaining").asLong()
        + y.path("remaining").asLong() + y.path("bonusRemaining").asLong();
    assertThat(usable).isEqualTo(20);
    assertThat(xToY + yToX).isPositive();
    long events = 0;
    for (String subject : List.of("tr-x", "tr-y")) {
      events += server.get("/v1/events?type=transfer&limit=1000&subject=" + subject, ADMIN_KEY).json().path("events").size();
    }
    assertThat(events).as("two events per transfer, none for replays").isEqualTo(2L * transfers);
  }

  private static long grantTotal(String subject) {
    long total = 0;
    for (JsonNode grant : server.get("/v1/subjects/" + subject + "/grants", ADMIN_KEY).json().path("grants")) {
      total += grant.path("amount").asLong();
    }
    return total;
  }

}
