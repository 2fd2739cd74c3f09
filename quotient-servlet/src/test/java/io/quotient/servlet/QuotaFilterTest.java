package io.quotient.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.api.Plan;
import io.quotient.api.Usage;
import io.quotient.client.QuotientClient;
import io.quotient.testkit.QuotientTestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter in a real servlet container (Jetty 12) in front of a real Quotient server from the
 * test kit, both on one clock moved by hand (2026-11-24T12:00Z: November's window is 30 days,
 * 2,592,000 seconds, and resets in 6.5 days, 561,600 seconds).
 */
class QuotaFilterTest {
  static final HandClock CLOCK = new HandClock("2026-11-24T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UPGRADE = "https://example.com/pricing";

  static QuotientTestServer quotient;
  static QuotientClient client;
  static QuotaFilter filter;
  static Container app;
  /** Handler runs by path. */
  static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  static final AtomicInteger inFlight = new AtomicInteger();
  static final AtomicInteger maxInFlight = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    quotient = QuotientTestServer.builder()
        .plan("gen", Map.of(
            "ai_generations", Plan.Limit.hard(10L, "month"),
            "generations", Plan.Limit.hard(2L, "concurrent"),
            "premium", Plan.Limit.hard(0L, "month")))
        .defaultPlan("gen")
        .clock(CLOCK)
        .start();
    client = QuotientClient.builder().url(quotient.url()).apiKey(quotient.serviceKey()).build();
    filter = QuotaFilter.builder(client)
        .subjects(request -> request.getHeader("X-User"))
        .clock(CLOCK)
        .route(QuotaRoute.path("/consumed").metric("ai_generations", 1).upgradeUrl(UPGRADE).build())
        .route(QuotaRoute.path("/generate").methods("POST").metric("ai_generations", 1)
            .mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).upgradeUrl(UPGRADE).build())
        .route(QuotaRoute.path("/dedup/*").metric("ai_generations", 1)
            .mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).deduplicate(true).build())
        .route(QuotaRoute.path("/premium").metric("premium", 1).denialStatus(402).upgradeUrl(UPGRADE).build())
        .route(QuotaRoute.path("/async").metric("ai_generations", 1).mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).build())
        .route(QuotaRoute.path("/slow").metric("generations", 1).mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).build())
        .build();
    app = new Container(filter, new Handler());
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (client != null) {
      client.close();
    }
    if (quotient != null) {
      quotient.close();
    }
  }

  /** The application: fails when the body says so, echoes what the filter decided, holds /slow for a moment. */
  static final class Handler extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String path = request.getPathInfo();
      runs.computeIfAbsent(path.startsWith("/dedup") ? "/dedup" : path, p -> new AtomicInteger()).incrementAndGet();
      String body = new String(request.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (path.equals("/async")) {
        // The answer is written on another thread after the filter has returned.
        jakarta.servlet.AsyncContext async = request.startAsync();
        Thread.ofVirtual().start(() -> {
          try {
            ((HttpServletResponse) async.getResponse()).setStatus(body.startsWith("status ") ? Integer.parseInt(body.substring(7)) : 200);
            async.getResponse().getWriter().write("done");
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } finally {
            async.complete();
          }
        });
        return;
      }
      if (path.equals("/slow")) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
          Thread.sleep(20); // the generation
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight.decrementAndGet();
        }
      }
      if (body.equals("throw")) {
        throw new IllegalStateException("the handler failed");
      }
      if (body.startsWith("status ")) {
        response.sendError(Integer.parseInt(body.substring(7)));
        return;
      }
      QuotaDecision decision = (QuotaDecision) request.getAttribute(QuotaDecision.ATTRIBUTE);
      if (decision == null) {
        response.getWriter().write("{\"unprotected\":true}");
        return;
      }
      response.setContentType("application/json");
      response.getWriter().write(JSON.writeValueAsString(Map.of(
          "remaining", String.valueOf(decision.remaining("ai_generations")),
          "checked", decision.checked(),
          "body", body)));
    }
  }

  private static long used(String subject, String metric) {
    for (Usage.Metric m : client.usage(subject).metrics()) {
      if (m.metric().equals(metric)) {
        return m.used();
      }
    }
    throw new AssertionError("no " + metric);
  }

  private static Usage.Metric usage(String subject, String metric) {
    return client.usage(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
  }

  private static int runs(String path) {
    return runs.computeIfAbsent(path, p -> new AtomicInteger()).get();
  }

  @Test
  void consume_charges_before_the_handler_so_a_failing_handler_is_charged_too() throws Exception {
    HttpResponse<String> ok = app.post("/consumed", "c1", "hello");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("remaining").asText()).isEqualTo("9");
    assertThat(app.post("/consumed", "c1", "status 500").statusCode()).isEqualTo(500);
    assertThat(used("c1", "ai_generations")).isEqualTo(2);
  }

  @Test
  void charge_on_success_charges_a_handler_that_succeeds_and_not_one_that_fails() throws Exception {
    assertThat(app.post("/generate", "s1", "status 500").statusCode()).isEqualTo(500);
    assertThat(app.post("/generate", "s1", "status 400").statusCode()).isEqualTo(400);
    assertThat(app.post("/generate", "s1", "throw").statusCode()).isEqualTo(500);
    assertThat(used("s1", "ai_generations")).as("failures are not charged").isZero();
    assertThat(usage("s1", "ai_generations").held()).as("and hold nothing").isZero();

    HttpResponse<String> ok = app.post("/generate", "s1", "a cat");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("remaining").asText()).as("the decision, as the handler sees it").isEqualTo("9");
    assertThat(used("s1", "ai_generations")).isEqualTo(1);
    assertThat(usage("s1", "ai_generations").held()).isZero();
  }

  @Test
  void an_async_answer_is_charged_when_it_completes_and_only_if_it_succeeds() throws Exception {
    assertThat(app.post("/async", "as1", "status 503").statusCode()).isEqualTo(503);
    assertThat(app.post("/async", "as1", "fine").statusCode()).isEqualTo(200);
    // The hold is settled from the AsyncListener, which may run just after the answer is sent.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (usage("as1", "ai_generations").held() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(usage("as1", "ai_generations").held()).isZero();
    assertThat(used("as1", "ai_generations")).isEqualTo(1);
  }

  @Test
  void a_denial_answers_429_with_the_drafts_headers_and_a_quota_exceeded_problem() throws Exception {
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> ok = app.post("/generate", "d1", "n" + i);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("RateLimit-Policy")).contains("\"ai_generations\";q=10;w=2592000");
      assertThat(ok.headers().firstValue("RateLimit")).contains("\"ai_generations\";r=" + (9 - i) + ";t=561600");
    }
    int before = runs("/generate");
    HttpResponse<String> denied = app.post("/generate", "d1", "one more");
    assertThat(denied.statusCode()).isEqualTo(429);
    assertThat(runs("/generate")).as("the handler did not run").isEqualTo(before);
    assertThat(denied.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(denied.headers().firstValue("Retry-After")).contains("561600");
    assertThat(denied.headers().firstValue("RateLimit-Policy")).contains("\"ai_generations\";q=10;w=2592000");
    assertThat(denied.headers().firstValue("RateLimit")).contains("\"ai_generations\";r=0;t=561600");
    JsonNode problem = JSON.readTree(denied.body());
    assertThat(problem.get("type").asText()).isEqualTo("urn:quotient:problem:quota-exceeded");
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("metric").asText()).isEqualTo("ai_generations");
    assertThat(problem.get("limit").asLong()).isEqualTo(10);
    assertThat(problem.get("remaining").asLong()).isZero();
    assertThat(problem.get("reset").asText()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(problem.get("upgradeUrl").asText()).isEqualTo(UPGRADE);
    assertThat(problem.get("reason").asText()).isEqualTo("quota_exceeded");
    assertThat(used("d1", "ai_generations")).isEqualTo(10);
  }

  @Test
  void a_route_may_deny_with_402() throws Exception {
    HttpResponse<String> denied = app.post("/premium", "p1", "");
    assertThat(denied.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(denied.body()).get("type").asText()).isEqualTo("urn:quotient:problem:quota-exceeded");
    assertThat(denied.headers().firstValue("RateLimit-Policy")).contains("\"premium\";q=0;w=2592000");
  }

  @Test
  void the_clients_idempotency_key_is_passed_on_so_a_retry_is_charged_once() throws Exception {
    for (String header : List.of("Idempotency-Key", "X-Idempotency-Key")) {
      String user = "k-" + header;
      for (int i = 0; i < 3; i++) {
        assertThat(app.post("/consumed", user, "same", Map.of(header, "click-1")).statusCode()).isEqualTo(200);
        assertThat(app.post("/generate", user, "same", Map.of(header, "click-2")).statusCode()).isEqualTo(200);
      }
      assertThat(used(user, "ai_generations")).as(header).isEqualTo(2);
    }
    HttpResponse<String> reused = app.post("/consumed", "k-Idempotency-Key", "other", Map.of("Idempotency-Key", "click-2"));
    assertThat(reused.statusCode()).as("the key of another request").isEqualTo(422);
  }

  @Test
  void automatic_deduplication_charges_a_double_click_once_within_five_seconds() throws Exception {
    String user = "dd1";
    assertThat(app.post("/dedup/x", user, "{\"prompt\":\"a cat\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> again = app.post("/dedup/x", user, "{\"prompt\":\"a cat\"}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("body").asText()).as("the handler reads the body the filter read").isEqualTo("{\"prompt\":\"a cat\"}");
    assertThat(used(user, "ai_generations")).isEqualTo(1);

    app.post("/dedup/x", user, "{\"prompt\":\"a dog\"}");
    app.post("/dedup/y", user, "{\"prompt\":\"a cat\"}");
    assertThat(used(user, "ai_generations")).as("another body, another path").isEqualTo(3);

    CLOCK.advance(Duration.ofSeconds(5));
    app.post("/dedup/x", user, "{\"prompt\":\"a cat\"}");
    assertThat(used(user, "ai_generations")).as("the next window").isEqualTo(4);
  }

  @Test
  void a_request_without_a_subject_is_refused_without_asking() throws Exception {
    HttpResponse<String> anonymous = app.post("/generate", null, "x");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(anonymous.body()).get("type").asText()).isEqualTo("urn:quotient:problem:unauthorized");
    assertThat(app.post("/unprotected", null, "x").statusCode()).as("no route, no quota").isEqualTo(200);
  }

  /**
   * 32 threads call a route capped at 2 generations at once through charge-on-success. The oracle
   * counts handlers running: never more than the cap, and the cap reached.
   */
  @Test
  void a_concurrent_cap_holds_under_32_threads_through_charge_on_success() throws Exception {
    int threads = 32;
    int each = 10;
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger denied = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < each; i++) {
            HttpResponse<String> r = app.post("/slow", "conc", "");
            if (r.statusCode() == 200) {
              ok.incrementAndGet();
            } else {
              assertThat(r.statusCode()).isEqualTo(429);
              assertThat(r.headers().firstValue("Retry-After")).contains("1");
              assertThat(r.headers().firstValue("RateLimit-Policy")).contains("\"generations\";q=2");
              denied.incrementAndGet();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ok.get() + denied.get()).isEqualTo(threads * each);
    assertThat(maxInFlight.get()).as("never more in flight than the cap, and the cap reached").isEqualTo(2);
    assertThat(runs("/slow")).as("denied requests never reached the handler").isEqualTo(ok.get());
    assertThat(denied.get()).isPositive();
    Usage.Metric after = usage("conc", "generations");
    assertThat(after.held()).isZero();
    assertThat(after.used()).isZero();
  }
}
