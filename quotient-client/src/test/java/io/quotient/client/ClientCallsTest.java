package io.quotient.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.api.BatchRequest;
import io.quotient.api.BatchResponse;
import io.quotient.api.BatchResult;
import io.quotient.api.CommitRequest;
import io.quotient.api.ConsumeRequest;
import io.quotient.api.Decision;
import io.quotient.api.Event;
import io.quotient.api.EventPage;
import io.quotient.api.Grant;
import io.quotient.api.GrantRequest;
import io.quotient.api.IssuedKey;
import io.quotient.api.Key;
import io.quotient.api.KeyRequest;
import io.quotient.api.Plan;
import io.quotient.api.PlanRequest;
import io.quotient.api.SubjectAnalytics;
import io.quotient.api.TopConsumers;
import io.quotient.api.ProblemType;
import io.quotient.api.Refund;
import io.quotient.api.RefundRequest;
import io.quotient.api.Reservation;
import io.quotient.api.ReserveDecision;
import io.quotient.api.ReserveRequest;
import io.quotient.api.ResetRequest;
import io.quotient.api.Settlement;
import io.quotient.api.Subject;
import io.quotient.api.SubjectRequest;
import io.quotient.api.Token;
import io.quotient.api.TokenRequest;
import io.quotient.api.Usage;
import io.quotient.testkit.QuotientTestServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call of the client against a real server started by the test kit. */
class ClientCallsTest {
  static QuotientTestServer server;
  static QuotientClient service;
  static QuotientClient admin;
  static QuotientClient reader;

  @BeforeAll
  static void start() {
    server = QuotientTestServer.builder()
        .plan("basic", Map.of(
            "ai_generations", Plan.Limit.hard(5L, "month"),
            "projects", Plan.Limit.hard(3L, "total"),
            "tickets", Plan.Limit.hard(50L, "month")))
        .plan("pro", Map.of("ai_generations", Plan.Limit.hard(100L, "month")))
        .defaultPlan("basic")
        .start();
    service = client(server.serviceKey());
    admin = client(server.adminKey());
    reader = client(server.readKey());
  }

  static QuotientClient client(String key) {
    return QuotientClient.builder().url(server.url()).apiKey(key).build();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {service, admin, reader, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static long used(String subject, String metric) {
    return service.usage(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow().used();
  }

  @Test
  void health_reads_the_servers_readiness() throws Exception {
    assertThat(service.health().status()).isEqualTo("up");
    assertThat(reader.healthAsync().get().database()).isEqualTo("up");
  }

  @Test
  void consume_grants_up_to_the_limit_and_a_denial_is_a_value() {
    for (int i = 1; i <= 5; i++) {
      Decision d = service.consume("consumer", "ai_generations", 1);
      assertThat(d.allowed()).isTrue();
      assertThat(d.eventId()).isNotNull();
      assertThat(d.items().get(0).remaining()).isEqualTo(5 - i);
    }
    Decision denied = service.consume("consumer", "ai_generations", 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo("quota_exceeded");
    assertThat(denied.items().get(0).limit()).isEqualTo(5);
    assertThat(denied.items().get(0).resetsAt()).isAfter(Instant.now());
    assertThat(used("consumer", "ai_generations")).isEqualTo(5);
  }

  @Test
  void consume_with_the_callers_key_replays_the_first_decision() throws Exception {
    ConsumeRequest request = ConsumeRequest.ofItems("replayer",
        List.of(new ConsumeRequest.Item("ai_generations", 2), new ConsumeRequest.Item("projects", 1)));
    Decision first = service.consume(request, "order-17");
    Decision again = service.consumeAsync(request, "order-17").get();
    assertThat(first.allowed()).isTrue();
    assertThat(again.eventId()).isEqualTo(first.eventId());
    assertThat(used("replayer", "ai_generations")).isEqualTo(2);
    assertThat(used("replayer", "projects")).isEqualTo(1);
  }

  @Test
  void check_decides_without_consuming() throws Exception {
    Decision check = service.check(ConsumeRequest.of("checker", "projects", 3));
    assertThat(check.allowed()).isTrue();
    assertThat(check.eventId()).isNull();
    assertThat(service.checkAsync(ConsumeRequest.of("checker", "projects", 4)).get().reason()).isEqualTo("quota_exceeded");
    assertThat(used("checker", "projects")).isZero();
  }

  @Test
  void batch_decides_each_request_and_gives_every_entry_a_key() throws Exception {
    BatchRequest request = new BatchRequest(List.of(
        BatchRequest.Entry.of(ConsumeRequest.of("batcher", "projects", 2), "mine-1"),
        BatchRequest.Entry.of(ConsumeRequest.of("batcher", "projects", 1), null),
        BatchRequest.Entry.of(ConsumeRequest.of("batcher", "projects", 1), null)));
    BatchResponse response = service.batch(request);
    assertThat(response.results()).hasSize(3);
    assertThat(response.results()).extracting(r -> ((BatchResult.Decided) r).allowed()).containsExactly(true, true, false);
    assertThat(service.batchAsync(new BatchRequest(List.of(request.requests().get(0)))).get().results().get(0))
        .isInstanceOfSatisfying(BatchResult.Decided.class, d -> assertThat(d.replayed()).isTrue());
    assertThat(used("batcher", "projects")).isEqualTo(3);

    List<Event> consumes = admin.events(EventQuery.ofSubject("batcher").withType("consume")).events();
    assertThat(consumes).extracting(Event::idempotencyKey)
        .hasSize(3)
        .contains("mine-1")
        .allSatisfy(key -> assertThat(key).isNotNull().matches("mine-1|qc_[0-9a-f-]{36}\\.[12]"));
  }

  @Test
  void reserve_then_read_commit_and_release() throws Exception {
    ReserveDecision held = service.reserve(ReserveRequest.of(ConsumeRequest.of("renderer", "ai_generations", 4), 600));
    assertThat(held.allowed()).isTrue();
    assertThat(held.reservationId()).isNotNull();
    Reservation reservation = service.reservation(held.reservationId());
    assertThat(reservation.state()).isEqualTo("held");
    assertThat(reservation.items()).extracting(Reservation.Item::held).containsExactly(4L);

    Settlement committed = service.commit(held.reservationId(), CommitRequest.of("ai_generations", 3));
    assertThat(committed.state()).isEqualTo("committed");
    assertThat(committed.items()).extracting(Settlement.Item::committed).containsExactly(3L);
    assertThat(service.reservationAsync(held.reservationId()).get().state()).isEqualTo("committed");
    assertThat(used("renderer", "ai_generations")).isEqualTo(3);

    ReserveDecision second = service.reserveAsync(
        ReserveRequest.of(ConsumeRequest.of("renderer", "ai_generations", 2), 600), "render-2").get();
    ReserveDecision replay = service.reserve(ReserveRequest.of(ConsumeRequest.of("renderer", "ai_generations", 2), 600), "render-2");
    assertThat(replay.reservationId()).isEqualTo(second.reservationId());
    Settlement released = service.releaseAsync(second.reservationId()).get();
    assertThat(released.state()).isEqualTo("released");
    assertThat(used("renderer", "ai_generations")).isEqualTo(3);
    assertThat(service.usage("renderer").metrics()).filteredOn(m -> m.metric().equals("ai_generations"))
        .extracting(Usage.Metric::held).containsExactly(0L);

    Settlement everything = service.commitAsync(
        service.reserve(ReserveRequest.of(ConsumeRequest.of("renderer", "ai_generations", 1), 60)).reservationId(),
        CommitRequest.everything()).get();
    assertThat(everything.items()).extracting(Settlement.Item::committed).containsExactly(1L);
  }

  @Test
  void refund_by_key_and_by_event() throws Exception {
    service.consume(ConsumeRequest.of("refunder", "projects", 1), "project-a");
    Decision b = service.consume(ConsumeRequest.of("refunder", "projects", 2), "project-b");
    assertThat(used("refunder", "projects")).isEqualTo(3);

    Refund byKey = service.refund(RefundRequest.ofKey("refunder", "project-a", null));
    assertThat(byKey.items()).extracting(Refund.Item::amount).containsExactly(1L);
    Refund byEvent = service.refundAsync(RefundRequest.ofEvent(b.eventId(), 1L), "refund-b-1").get();
    assertThat(byEvent.consumeEventId()).isEqualTo(b.eventId());
    assertThat(byEvent.items()).extracting(Refund.Item::used).containsExactly(1L);
    assertThat(used("refunder", "projects")).isEqualTo(1);
  }

  @Test
  void usage_reads_each_metric_of_the_plan() throws Exception {
    service.consume("reader-subject", "tickets", 7);
    Usage usage = service.usageAsync("reader-subject").get();
    assertThat(usage.plan()).isEqualTo("basic");
    assertThat(usage.metrics()).extracting(Usage.Metric::metric)
        .containsExactlyInAnyOrder("ai_generations", "projects", "tickets");
    assertThat(usage.metrics()).filteredOn(m -> m.metric().equals("tickets"))
        .extracting(Usage.Metric::used, Usage.Metric::remaining).containsExactly(org.assertj.core.groups.Tuple.tuple(7L, 43L));
  }

  @Test
  void analytics_are_read_for_a_subject_and_for_operators() throws Exception {
    service.consume("analyst", "tickets", 45); // 90% of basic's 50
    SubjectAnalytics analytics = reader.analytics("analyst", 7);
    assertThat(analytics.plan()).isEqualTo("basic");
    assertThat(analytics.metrics()).filteredOn(m -> m.metric().equals("tickets"))
        .extracting(SubjectAnalytics.Metric::used, m -> m.series().size()).containsExactly(org.assertj.core.groups.Tuple.tuple(45L, 7));
    assertThat(reader.recommendationAsync("analyst").get().currentPlan()).isEqualTo("basic");
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (reader.nearLimit(80, 0, 100).items().stream().noneMatch(i -> i.subject().equals("analyst"))) {
      assertThat(System.nanoTime()).as("analyst near its limit within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(reader.topAsync("tickets", 5).get().items()).extracting(TopConsumers.Item::subject).contains("analyst");
    assertThat(reader.distribution("tickets").bands()).hasSize(11);
    assertThat(reader.denialsAsync(2).get().hours()).hasSize(2);
  }

  @Test
  void plans_are_written_and_read() throws Exception {
    Plan team = admin.putPlan("team", new PlanRequest(Map.of(
        "seats", Plan.Limit.hard(10L, "total"),
        "calls", new Plan.Limit(null, "day", "soft", null, new Plan.Rate(5, 10)))));
    assertThat(team.limits().get("seats").limit()).isEqualTo(10);
    assertThat(team.limits().get("calls").limit()).isNull();
    assertThat(reader.plan("team")).isEqualTo(team);
    assertThat(admin.planAsync("team").get()).isEqualTo(team);
    assertThat(reader.plans().plans()).extracting(Plan::name).contains("basic", "pro", "team");
    assertThat(admin.putPlanAsync("team2", new PlanRequest(Map.of("seats", Plan.Limit.hard(1L, "total")))).get().name())
        .isEqualTo("team2");
    assertThat(reader.plansAsync().get().plans()).extracting(Plan::name).contains("team2");
  }

  @Test
  void subjects_move_plans_with_their_usage() throws Exception {
    Instant anchor = Instant.parse("2026-01-15T00:00:00Z");
    Subject created = admin.putSubject("mover", new SubjectRequest("basic", anchor, Map.of("team", "blue")));
    assertThat(created.metadata()).containsEntry("team", "blue");
    service.consume("mover", "ai_generations", 5);
    assertThat(service.consume("mover", "ai_generations", 1).allowed()).isFalse();

    Subject upgraded = admin.putSubjectAsync("mover", SubjectRequest.onPlan("pro")).get();
    assertThat(upgraded.plan()).isEqualTo("pro");
    assertThat(upgraded.billingAnchor()).isEqualTo(anchor);
    assertThat(reader.subject("mover").plan()).isEqualTo("pro");
    assertThat(reader.subjectAsync("mover").get().metadata()).containsEntry("team", "blue");
    assertThat(service.consume("mover", "ai_generations", 1).items().get(0).remaining()).isEqualTo(94);
  }

  @Test
  void grants_add_units_after_the_allowance() throws Exception {
    service.consume("granted", "projects", 3);
    Instant expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Grant grant = admin.grant("granted", new GrantRequest("projects", 2, expiry, "beta tester"));
    assertThat(grant.remaining()).isEqualTo(2);
    assertThat(grant.expiresAt()).isEqualTo(expiry);
    Grant second = admin.grantAsync("granted", new GrantRequest("projects", 1, null, null)).get();
    Decision fromBonus = service.consume("granted", "projects", 1);
    assertThat(fromBonus.allowed()).isTrue();
    assertThat(fromBonus.items().get(0).fromBonus()).isEqualTo(1);
    assertThat(reader.grants("granted").grants()).extracting(Grant::id).containsExactlyInAnyOrder(grant.id(), second.id());
    assertThat(admin.grantsAsync("granted").get().grants()).extracting(Grant::used).containsExactlyInAnyOrder(1L, 0L);
  }

  @Test
  void reset_starts_a_window_again() throws Exception {
    service.consume("resetter", "tickets", 30);
    service.consume("resetter", "ai_generations", 2);
    assertThat(admin.reset("resetter", new ResetRequest("tickets")).eventId()).isNotNull();
    assertThat(used("resetter", "tickets")).isZero();
    assertThat(used("resetter", "ai_generations")).isEqualTo(2);
    admin.resetAsync("resetter", new ResetRequest(null)).get();
    assertThat(used("resetter", "ai_generations")).isZero();
  }

  @Test
  void a_subject_token_reads_its_own_usage_only() throws Exception {
    service.consume("tokened", "tickets", 1);
    Token token = admin.token("tokened", new TokenRequest(60L));
    assertThat(token.subject()).isEqualTo("tokened");
    assertThat(token.expiresAt()).isBefore(Instant.now().plusSeconds(61));
    try (QuotientClient browser = client(token.token())) {
      assertThat(browser.usage("tokened").metrics()).isNotEmpty();
      assertThatThrownBy(() -> browser.usage("someone-else"))
          .isInstanceOfSatisfying(QuotientProblemException.class,
              p -> assertThat(p.type()).contains(ProblemType.FORBIDDEN));
    }
    assertThat(admin.tokenAsync("tokened", new TokenRequest(null)).get().token()).isNotEqualTo(token.token());
  }

  @Test
  void keys_are_created_listed_and_revoked() throws Exception {
    IssuedKey issued = admin.createKey(new KeyRequest("ci", "service"));
    assertThat(issued.key()).startsWith("qk_");
    try (QuotientClient ci = client(issued.key())) {
      assertThat(ci.consume("keyed", "tickets", 1).allowed()).isTrue();
      assertThat(admin.keys().keys()).extracting(Key::id).contains(issued.id());
      Key revoked = admin.revokeKey(issued.id());
      assertThat(revoked.revokedAt()).isNotNull();
      assertThatThrownBy(() -> ci.consume("keyed", "tickets", 1))
          .isInstanceOfSatisfying(QuotientProblemException.class, p -> {
            assertThat(p.type()).contains(ProblemType.UNAUTHORIZED);
            assertThat(p.status()).isEqualTo(401);
          });
    }
    IssuedKey other = admin.createKeyAsync(new KeyRequest("other", "read")).get();
    assertThat(admin.keysAsync().get().keys()).extracting(Key::id).contains(other.id());
    assertThat(admin.revokeKeyAsync(other.id()).get().revokedAt()).isNotNull();
  }

  @Test
  void events_come_in_pages_with_a_cursor() throws Exception {
    for (int i = 0; i < 3; i++) {
      service.consume("audited", "tickets", 1);
    }
    EventPage first = reader.events(EventQuery.ofSubject("audited").withLimit(2));
    assertThat(first.events()).hasSize(2);
    List<Event> all = new ArrayList<>(first.events());
    EventPage page = first;
    int pages = 1;
    // A page short of the limit is the last for now.
    while (page.events().size() == 2) {
      page = reader.eventsAsync(EventQuery.ofSubject("audited").withLimit(2).after(page.nextCursor())).get();
      all.addAll(page.events());
      pages++;
    }
    assertThat(pages).isGreaterThan(1);
    assertThat(all).extracting(Event::id).doesNotHaveDuplicates();
    assertThat(all).filteredOn(e -> e.type().equals("consume"))
        .extracting(e -> e.items().get(0).used()).containsExactly(1L, 2L, 3L);
    assertThat(reader.events(EventQuery.all().withType("plan_change")).events()).isNotEmpty();
  }

  @Test
  void ids_of_any_characters_reach_the_server_intact() {
    String id = "team a+b/ä?x=1&y#z";
    assertThat(service.consume(id, "tickets", 1).allowed()).isTrue();
    assertThat(service.usage(id).subject()).isEqualTo(id);
    assertThat(admin.events(EventQuery.ofSubject(id)).events()).extracting(Event::subject).containsOnly(id);
  }

  @Test
  void a_problem_names_its_type_and_field() {
    assertThatThrownBy(() -> service.consume("badly", "tickets", 0))
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> {
          assertThat(p.type()).contains(ProblemType.INVALID_FIELD);
          assertThat(p.field()).contains("amount");
          assertThat(p.status()).isEqualTo(422);
          assertThat(p.idempotencyKey()).isPresent();
        });
    assertThatThrownBy(() -> service.consume(ConsumeRequest.ofItems("badly",
            List.of(new ConsumeRequest.Item("tickets", 1), new ConsumeRequest.Item("Not A Metric", 1)))))
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> assertThat(p.field()).contains("items[1].metric"));
    service.consume(ConsumeRequest.of("badly", "tickets", 1), "same-key");
    assertThatThrownBy(() -> service.consume(ConsumeRequest.of("badly", "tickets", 2), "same-key"))
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> {
          assertThat(p.type()).contains(ProblemType.IDEMPOTENCY_KEY_MISMATCH);
          assertThat(p.idempotencyKey()).contains("same-key");
        });
    assertThatThrownBy(() -> reader.consume("badly", "tickets", 1))
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> assertThat(p.type()).contains(ProblemType.FORBIDDEN));
    assertThatThrownBy(() -> service.reservation("no-such-reservation"))
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> assertThat(p.type()).contains(ProblemType.NOT_FOUND));
  }

  @Test
  void settling_a_settled_reservation_names_its_state() {
    String id = service.reserve(ReserveRequest.of(ConsumeRequest.of("settler", "tickets", 1), 60)).reservationId();
    service.release(id);
    assertThatThrownBy(() -> service.commit(id, CommitRequest.everything()))
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> {
          assertThat(p.type()).contains(ProblemType.RESERVATION_CLOSED);
          assertThat(p.problem().extensions()).containsEntry("state", "released");
        });
  }

  @Test
  void an_async_call_completes_its_future_with_the_problem() {
    CompletableFuture<Decision> future = service.consumeAsync(ConsumeRequest.of("badly-async", "tickets", -1));
    assertThatThrownBy(future::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(QuotientProblemException.class, p -> assertThat(p.field()).contains("amount"));
  }

  @Test
  void one_client_shared_by_many_threads_grants_exactly_the_limit() throws Exception {
    int threads = 32;
    int perThread = 10;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Decision>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          go.await();
          List<Decision> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            mine.add(i % 2 == 0 ? service.consume("shared", "tickets", 1)
                : service.consumeAsync(ConsumeRequest.of("shared", "tickets", 1)).get());
          }
          return mine;
        }));
      }
      go.countDown();
      long granted = 0;
      long denied = 0;
      for (Future<List<Decision>> f : results) {
        for (Decision d : f.get()) {
          if (d.allowed()) {
            granted++;
          } else {
            denied++;
            assertThat(d.reason()).isEqualTo("quota_exceeded");
          }
        }
      }
      assertThat(granted).isEqualTo(50);
      assertThat(denied).isEqualTo((long) threads * perThread - 50);
      assertThat(used("shared", "tickets")).isEqualTo(50);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_closed_client_refuses_calls() {
    QuotientClient closing = client(server.serviceKey());
    assertThat(closing.consume("closer", "tickets", 1).allowed()).isTrue();
    closing.close();
    assertThatThrownBy(() -> closing.consume("closer", "tickets", 1)).isInstanceOf(IllegalStateException.class);
  }
}
