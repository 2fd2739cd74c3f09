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
 * Issue 7, defect 4 over HTTP: 1,200 concurrent consumes of 2^53−1 on an unlimited metric (128
 * callers at a time). Every
 * answer is a 200; exactly the 1,024 that fit in a long are granted, the rest are denied with
 * {@code counter_overflow}, and small requests decided in the same batches are untouched.
 */
class CounterOverflowHttpTest {
  private static final long HUGE = (1L << 53) - 1;
  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
    assertThat(server.put("/v1/plans/huge", TestServer.ADMIN_KEY,
        "{\"limits\":{\"tokens\":{\"limit\":null,\"period\":\"month\"},\"ai\":{\"limit\":1000,\"period\":\"month\"}}}").status())
        .isEqualTo(200);
    assertThat(server.put("/v1/subjects/big-spender", TestServer.ADMIN_KEY, "{\"plan\":\"huge\"}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void consumes_that_would_overflow_are_denied_alone_and_nothing_answers_500() throws Exception {
    int calls = 1500;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<TestServer.Response>> answers = new ArrayList<>();
    // 128 callers at a time: enough to fill batches, few enough for one machine's accept queue.
    try (ExecutorService pool = Executors.newFixedThreadPool(128)) {
      for (int i = 0; i < calls; i++) {
        String body = i % 5 == 4
            ? "{\"subject\":\"big-spender\",\"metric\":\"ai\",\"amount\":1}"
            : "{\"subject\":\"big-spender\",\"metric\":\"tokens\",\"amount\":" + HUGE + "}";
        answers.add(pool.submit(() -> {
          go.await();
          return server.post("/v1/consume", service, body);
        }));
      }
      go.countDown();
      int granted = 0;
      int overflowed = 0;
      int small = 0;
      for (Future<TestServer.Response> answer : answers) {
        TestServer.Response r = answer.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        boolean allowed = r.json().get("allowed").asBoolean();
        if (r.json().at("/items/0/metric").asText().equals("ai")) {
          assertThat(allowed).as(r.toString()).isTrue();
          small++;
        } else if (allowed) {
          granted++;
        } else {
          assertThat(r.json().get("reason").asText()).isEqualTo("counter_overflow");
          overflowed++;
        }
      }
      assertThat(granted).isEqualTo(1024);
      assertThat(overflowed).isEqualTo(1200 - 1024);
      assertThat(small).isEqualTo(300);
    }
    var usage = server.get("/v1/subjects/big-spender/usage", service).json();
    assertThat(SeedsStoryTest.metric(usage, "tokens").get("used").asLong()).isEqualTo(1024 * HUGE);
    assertThat(SeedsStoryTest.metric(usage, "ai").get("used").asLong()).isEqualTo(300);
  }
}
