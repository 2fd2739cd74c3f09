package io.quotient.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.api.Alert;
import io.quotient.api.AlertRule;
import io.quotient.api.AlertRuleRequest;
import io.quotient.api.ProblemType;
import io.quotient.api.Plan;
import io.quotient.testkit.QuotientTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client's monitoring calls against a real server: alerts, alert rules, and the live stream. */
class MonitorCallsTest {
  static QuotientTestServer server;
  static QuotientClient admin;
  static QuotientClient service;

  @BeforeAll
  static void start() {
    server = QuotientTestServer.builder()
        .plan("mon", Map.of("calls", Plan.Limit.hard(10L, "month")))
        .defaultPlan("mon")
        .start();
    admin = QuotientClient.builder().url(server.url()).apiKey(server.adminKey()).build();
    service = QuotientClient.builder().url(server.url()).apiKey(server.serviceKey()).build();
  }

  @AfterAll
  static void stop() {
    service.close();
    admin.close();
    server.close();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void alert_rules_put_get_list_delete_and_the_alerts_they_fire() throws Exception {
    AlertRule put = admin.putAlertRule("mc-rule", new AlertRuleRequest("mon", "calls", List.of(50, 100)));
    assertThat(put.thresholds()).containsExactly(50, 100);
    assertThat(put.updatedAt()).isNotNull();
    // The stored updatedAt has PostgreSQL's microseconds; the PUT's answer may carry more digits.
    assertThat(admin.alertRule("mc-rule")).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(put);
    assertThat(admin.alertRulesAsync().get().rules()).extracting(AlertRule::name).contains("mc-rule");
    assertThat(admin.alertRules().defaultThresholds()).containsExactly(80, 95, 100);

    service.consume("mc-alice", "calls", 6);
    await("the 50% alert", () -> !admin.alerts(AlertQuery.all().ofSubject("mc-alice")).alerts().isEmpty());
    List<Alert> alerts = admin.alertsAsync(AlertQuery.all().ofSubject("mc-alice").ofMetric("calls").inState("firing")).get().alerts();
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.threshold()).isEqualTo(50);
      assertThat(a.level()).isEqualTo("warning");
      assertThat(a.used()).isEqualTo(6);
      assertThat(a.limit()).isEqualTo(10);
    });
    assertThat(admin.alerts(AlertQuery.all().ofSubject("mc-alice").inState("resolved")).alerts()).isEmpty();
    assertThat(admin.alerts(AlertQuery.all().withLimit(1)).alerts()).hasSize(1);

    admin.deleteAlertRule("mc-rule");
    assertThatThrownBy(() -> admin.alertRule("mc-rule")).isInstanceOfSatisfying(QuotientProblemException.class,
        e -> assertThat(e.type()).contains(ProblemType.NOT_FOUND));
    assertThatThrownBy(() -> admin.deleteAlertRule("mc-rule")).isInstanceOfSatisfying(QuotientProblemException.class,
        e -> assertThat(e.type()).contains(ProblemType.NOT_FOUND));
    assertThatThrownBy(() -> admin.putAlertRule("mc-bad", new AlertRuleRequest(null, null, List.of())))
        .isInstanceOfSatisfying(QuotientProblemException.class, e -> assertThat(e.field()).contains("thresholds"));
    assertThatThrownBy(() -> admin.alerts(AlertQuery.all().inState("sleeping")))
        .isInstanceOfSatisfying(QuotientProblemException.class, e -> assertThat(e.status()).isEqualTo(422));
  }

  @Test
  void a_stream_sees_a_consume_as_it_commits() throws Exception {
    List<StreamedMessage> seen = new CopyOnWriteArrayList<>();
    try (LiveStream stream = admin.stream(StreamQuery.live().ofSubject("mc-bob").ofTypes("quota.consumed"), seen::add)) {
      await("connected", () -> stream.connections() == 1);
      String eventId = service.consume("mc-bob", "calls", 2).eventId();
      await("the message", () -> seen.size() == 1);
      StreamedMessage message = seen.getFirst();
      assertThat(message.message().type()).isEqualTo("quota.consumed");
      assertThat(message.message().id()).isEqualTo(eventId);
      assertThat(message.message().subject()).isEqualTo("mc-bob");
      assertThat(message.cursor()).isNotBlank().isEqualTo(stream.cursor());
    }
  }

  @Test
  void a_dropped_stream_resumes_without_a_gap_or_a_repeat() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (SwitchedLink link = new SwitchedLink(server.port());
        QuotientClient viaLink = QuotientClient.builder().url(link.url()).apiKey(server.readKey()).build();
        LiveStream stream = viaLink.stream(StreamQuery.live().ofSubject("mc-carol").ofTypes("quota.consumed"), m -> seen.add(m.message().id()))) {
      await("connected", () -> stream.connections() == 1);
      List<String> sent = new java.util.ArrayList<>();
      sent.add(service.consume("mc-carol", "calls", 1).eventId());
      await("the first message", () -> seen.size() >= 1);

      link.stop(); // the connection is cut; the client cannot connect again while it is down
      for (int i = 0; i < 3; i++) {
        sent.add(service.consume("mc-carol", "calls", 1).eventId());
      }
      Thread.sleep(300); // the client tries (and fails) to reconnect meanwhile
      link.start();
      await("the messages of the outage", () -> seen.size() >= 4);
      sent.add(service.consume("mc-carol", "calls", 1).eventId());
      await("a live message after the resume", () -> seen.size() >= 5);

      assertThat(seen).as("each once, in order").containsExactlyElementsOf(sent);
      assertThat(stream.connections()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void a_silent_stream_is_dropped_after_the_idle_timeout_and_resumes() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (SwitchedLink link = new SwitchedLink(server.port());
        QuotientClient viaProxy = QuotientClient.builder().url(link.url()).apiKey(server.readKey())
            .streamIdleTimeout(Duration.ofSeconds(2)).build();
        LiveStream stream = viaProxy.stream(StreamQuery.live().ofSubject("mc-dan").ofTypes("quota.consumed"),
            m -> seen.add(m.message().id()))) {
      await("connected", () -> stream.connections() == 1);
      List<String> sent = new java.util.ArrayList<>();
      sent.add(service.consume("mc-dan", "calls", 1).eventId());
      await("the first message", () -> seen.size() >= 1);

      link.stall(); // open, but nothing passes any more
      sent.add(service.consume("mc-dan", "calls", 1).eventId());
      sent.add(service.consume("mc-dan", "calls", 1).eventId());
      await("the messages after the silence", () -> seen.size() >= 3);
      assertThat(seen).as("each once, in order").containsExactlyElementsOf(sent);
      assertThat(stream.connections()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void a_refused_stream_ends_with_the_problem_and_a_closed_one_ends_normally() throws Exception {
    LiveStream refused = admin.stream(StreamQuery.live().ofTypes("no.such.type"), m -> { });
    assertThatThrownBy(() -> refused.done().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(QuotientProblemException.class, e -> assertThat(e.field()).contains("types"));

    LiveStream open = admin.stream(StreamQuery.live(), m -> { });
    await("connected", () -> open.connections() == 1);
    open.close();
    open.done().get(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS);
    assertThat(open.done()).isCompleted();
  }
}
