package io.quotient.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.api.BatchRequest;
import io.quotient.api.BatchResult;
import io.quotient.api.ConsumeRequest;
import io.quotient.api.Decision;
import io.quotient.api.GrantRequest;
import io.quotient.api.Plan;
import io.quotient.api.Refund;
import io.quotient.api.RefundRequest;
import io.quotient.api.ReserveDecision;
import io.quotient.api.ReserveRequest;
import io.quotient.api.Usage;
import io.quotient.testkit.QuotientTestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failures between the client and a real server: lost answers, a server that never answers, and
 * no server at all. The {@link FaultyLink} records what the client sent.
 */
class RetryTest {
  static QuotientTestServer server;
  static QuotientClient direct;

  @BeforeAll
  static void start() {
    server = QuotientTestServer.builder()
        .plan("basic", Map.of("tickets", Plan.Limit.hard(100L, "month"), "renders", Plan.Limit.hard(10L, "month")))
        .defaultPlan("basic")
        .start();
    direct = QuotientClient.builder().url(server.url()).apiKey(server.adminKey()).build();
  }

  @AfterAll
  static void stop() {
    if (direct != null) {
      direct.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static QuotientClient through(FaultyLink link, String key, Duration requestTimeout) {
    return QuotientClient.builder()
        .url(link.url())
        .apiKey(key)
        .requestTimeout(requestTimeout)
        .retries(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .build();
  }

  private static Usage.Metric usage(String subject, String metric) {
    return direct.usage(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
  }

  @Test
  void a_consume_whose_answer_was_lost_is_retried_with_its_key_and_charged_once() throws Exception {
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 1);
        QuotientClient client = through(link, server.serviceKey(), Duration.ofSeconds(30))) {
      Decision decision = client.consume("lost-answer", "tickets", 3);

      assertThat(decision.allowed()).isTrue();
      assertThat(link.requests()).containsExactly("POST /v1/consume", "POST /v1/consume");
      assertThat(link.idempotencyKeys()).hasSize(2).doesNotContainNull();
      assertThat(link.idempotencyKeys().get(1)).isEqualTo(link.idempotencyKeys().get(0));
      assertThat(usage("lost-answer", "tickets").used()).isEqualTo(3);
    }
  }

  @Test
  void a_consume_with_the_callers_key_is_retried_with_that_key() throws Exception {
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 2);
        QuotientClient client = through(link, server.serviceKey(), Duration.ofSeconds(30))) {
      Decision decision = client.consumeAsync(ConsumeRequest.of("lost-twice", "tickets", 1), "upload-9").get();

      assertThat(decision.allowed()).isTrue();
      assertThat(link.idempotencyKeys()).containsExactly("upload-9", "upload-9", "upload-9");
      assertThat(usage("lost-twice", "tickets").used()).isEqualTo(1);
      // The decision the retry got is the first one, replayed (keys are the subject's: another API key replays too).
      assertThat(direct.consume(ConsumeRequest.of("lost-twice", "tickets", 1), "upload-9").eventId())
          .isEqualTo(decision.eventId());
    }
  }

  @Test
  void a_reservation_whose_answer_was_lost_holds_once() throws Exception {
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 1);
        QuotientClient client = through(link, server.serviceKey(), Duration.ofSeconds(30))) {
      ReserveDecision held = client.reserve(ReserveRequest.of(ConsumeRequest.of("lost-hold", "renders", 4), 600));

      assertThat(held.allowed()).isTrue();
      assertThat(link.requests()).containsExactly("POST /v1/reservations", "POST /v1/reservations");
      assertThat(usage("lost-hold", "renders").held()).isEqualTo(4);
      assertThat(direct.reservation(held.reservationId()).state()).isEqualTo("held");
    }
  }

  @Test
  void a_batch_whose_answer_was_lost_charges_each_entry_once() throws Exception {
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 1);
        QuotientClient client = through(link, server.serviceKey(), Duration.ofSeconds(30))) {
      List<BatchResult> results = client.batch(new BatchRequest(List.of(
          BatchRequest.Entry.of(ConsumeRequest.of("lost-batch", "tickets", 2), null),
          BatchRequest.Entry.of(ConsumeRequest.of("lost-batch", "renders", 1), null)))).results();

      assertThat(results).allSatisfy(r -> assertThat(((BatchResult.Decided) r).allowed()).isTrue());
      assertThat(results).allSatisfy(r -> assertThat(((BatchResult.Decided) r).replayed()).isTrue());
      assertThat(link.requests()).hasSize(2);
      assertThat(usage("lost-batch", "tickets").used()).isEqualTo(2);
      assertThat(usage("lost-batch", "renders").used()).isEqualTo(1);
    }
  }

  @Test
  void a_refund_whose_answer_was_lost_gives_back_once() throws Exception {
    Decision consumed = direct.consume(ConsumeRequest.of("lost-refund", "tickets", 5), "job-1");
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 1);
        QuotientClient client = through(link, server.serviceKey(), Duration.ofSeconds(30))) {
      Refund refund = client.refund(RefundRequest.ofEvent(consumed.eventId(), 2L));

      assertThat(refund.items()).extracting(Refund.Item::amount).containsExactly(2L);
      assertThat(link.requests()).containsExactly("POST /v1/refunds", "POST /v1/refunds");
      assertThat(usage("lost-refund", "tickets").used()).isEqualTo(3);
    }
  }

  @Test
  void a_read_whose_answer_was_lost_is_read_again() throws Exception {
    direct.consume("lost-read", "tickets", 5);
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 1);
        QuotientClient client = through(link, server.serviceKey(), Duration.ofSeconds(30))) {
      assertThat(client.usage("lost-read").metrics()).filteredOn(m -> m.metric().equals("tickets"))
          .extracting(Usage.Metric::used).containsExactly(5L);
      assertThat(link.requests()).hasSize(2);
    }
  }

  @Test
  void a_grant_whose_answer_was_lost_is_not_sent_again() throws Exception {
    try (FaultyLink link = FaultyLink.droppingAnswers(server.port(), 1);
        QuotientClient client = through(link, server.adminKey(), Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> client.grant("lost-grant", new GrantRequest("tickets", 5, null, "once")))
          .isInstanceOfSatisfying(QuotientUnreachableException.class,
              e -> assertThat(e.idempotencyKey()).isPresent());

      assertThat(link.requests()).containsExactly("POST /v1/subjects/lost-grant/grants");
      assertThat(direct.grants("lost-grant").grants()).hasSize(1);
    }
  }

  @Test
  void a_server_that_never_answers_times_out_after_the_retries_all_with_one_key() throws Exception {
    try (FaultyLink link = FaultyLink.silent();
        QuotientClient client = through(link, server.serviceKey(), Duration.ofMillis(300))) {
      QuotientTimeoutException timeout = org.junit.jupiter.api.Assertions.assertThrows(
          QuotientTimeoutException.class, () -> client.consume("silence", "tickets", 1));

      assertThat(link.requests()).containsExactly("POST /v1/consume", "POST /v1/consume", "POST /v1/consume");
      assertThat(link.idempotencyKeys()).hasSize(3).containsOnly(timeout.idempotencyKey().orElseThrow());
    }
  }

  @Test
  void a_grant_to_a_server_that_never_answers_is_sent_once() throws Exception {
    try (FaultyLink link = FaultyLink.silent();
        QuotientClient client = through(link, server.adminKey(), Duration.ofMillis(300))) {
      assertThatThrownBy(() -> client.grant("silence", new GrantRequest("tickets", 1, null, null)))
          .isInstanceOf(QuotientTimeoutException.class);
      assertThat(link.requests()).hasSize(1);
    }
  }

  @Test
  void no_server_at_all_is_unreachable_not_a_timeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    // Timeouts far longer than the test: a client that waited for them would hang, not fail this way.
    try (QuotientClient client = QuotientClient.builder()
        .url("http://127.0.0.1:" + port)
        .apiKey(server.serviceKey())
        .connectTimeout(Duration.ofMinutes(5))
        .requestTimeout(Duration.ofMinutes(5))
        .retries(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .build()) {
      assertThatThrownBy(() -> client.consume("nobody", "tickets", 1))
          .isInstanceOfSatisfying(QuotientUnreachableException.class, e -> {
            assertThat(e).hasMessageContaining("could not connect");
            assertThat(e.idempotencyKey()).isPresent();
          });
      assertThatThrownBy(() -> client.usageAsync("nobody").get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(QuotientUnreachableException.class);
    }
  }
}
