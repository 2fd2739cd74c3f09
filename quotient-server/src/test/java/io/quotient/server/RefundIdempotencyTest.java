package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 6: {@code POST /v1/refunds} takes {@code Idempotency-Key} as consume does: a retry
 * replays the first answer, other parameters are a 422, a retry while the first is undecided a 409,
 * and the units come back once.
 */
class RefundIdempotencyTest {
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

  private static TestServer.Response refund(String key, String idempotencyKey, String body) {
    return server.postWithKey("/v1/refunds", key, idempotencyKey, body);
  }

  private static String consume(String subject, int amount) {
    TestServer.Response r = server.post("/v1/consume", service,
        "{\"subject\":\"" + subject + "\",\"metric\":\"ai_generations\",\"amount\":" + amount + "}");
    assertThat(r.json().get("allowed").asBoolean()).as(r.toString()).isTrue();
    return r.json().get("eventId").asText();
  }

  private static long used(String subject) {
    return server.used(subject, "ai_generations", service);
  }

  @Test
  void three_retries_of_a_partial_refund_give_back_once_and_replay_the_first_answer() {
    String eventId = consume("r1", 4);
    String body = "{\"eventId\":\"" + eventId + "\",\"amount\":2}";
    TestServer.Response first = refund(service, "refund-1", body);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    for (int i = 0; i < 2; i++) {
      TestServer.Response retry = refund(service, "refund-1", body);
      assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
      assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
      assertThat(retry.json()).isEqualTo(first.json());
    }
    // Through another service key too: keys are scoped to the subject.
    TestServer.Response other = refund(server.createKey("service"), "refund-1", body);
    assertThat(other.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(used("r1")).isEqualTo(2);
  }

  @Test
  void the_same_key_with_other_parameters_is_a_422_and_gives_nothing_back() {
    String eventId = consume("r2", 4);
    assertThat(refund(service, "refund-2", "{\"eventId\":\"" + eventId + "\",\"amount\":1}").status()).isEqualTo(200);
    TestServer.Response other = refund(service, "refund-2", "{\"eventId\":\"" + eventId + "\",\"amount\":2}");
    assertThat(other.status()).as(other.toString()).isEqualTo(422);
    assertThat(other.problemType()).isEqualTo("idempotency-key-mismatch");
    assertThat(other.field()).isEqualTo("Idempotency-Key");
    assertThat(used("r2")).isEqualTo(3);
  }

  @Test
  void concurrent_retries_give_back_once_and_answer_the_refund_or_409() throws Exception {
    String eventId = consume("r3", 10);
    String body = "{\"eventId\":\"" + eventId + "\",\"amount\":2}";
    int threads = 16;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<TestServer.Response>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return refund(service, "refund-3", body);
        }));
      }
      go.countDown();
      int fresh = 0;
      String refundId = null;
      for (Future<TestServer.Response> answer : answers) {
        TestServer.Response r = answer.get();
        if (r.status() == 409) {
          assertThat(r.problemType()).as(r.toString()).isEqualTo("idempotency-key-in-flight");
          continue;
        }
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        if (r.headers().firstValue("Idempotent-Replayed").isEmpty()) {
          fresh++;
        }
        if (refundId != null) {
          assertThat(r.json().get("eventId").asText()).isEqualTo(refundId);
        }
        refundId = r.json().get("eventId").asText();
      }
      assertThat(fresh).isLessThanOrEqualTo(1);
    }
    assertThat(used("r3")).isEqualTo(8);
  }
}
