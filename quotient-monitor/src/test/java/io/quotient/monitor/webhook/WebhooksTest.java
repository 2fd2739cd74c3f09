package io.quotient.monitor.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventQuery;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.message.Messages;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end on one database, with a real receiver that verifies signatures by its own
 * implementation of the Standard Webhooks specification, on a hand-moved clock: the workers are
 * off and {@link Webhooks#deliverDue()} delivers what is due, so the retry schedule is exact.
 */
class WebhooksTest {
  private static final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  private static final AtomicInteger names = new AtomicInteger();
  private static Database database;
  private static Quotient engine;
  private static Webhooks webhooks;
  private static Monitor monitor;
  private static final Receiver receiver = new Receiver();

  @BeforeAll
  static void start() {
    database = TestDatabase.create(16);
    engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
    engine.putPlan(new Plan("pro", Map.of("ai_generations", Limit.of(10, Period.MONTH))));
    webhooks = new Webhooks(engine, database.dataSource(), clock, Webhooks.Settings.defaults().withAllowPrivate(true).withWorkers(0,
        Duration.ofMillis(20)), outcome -> {});
    monitor = Monitor.builder(engine, database).clock(clock).pollInterval(Duration.ofMillis(20)).projection(webhooks.projection()).start();
    webhooks.start();
  }

  @AfterEach
  void deleteEndpoints() {
    for (Webhook webhook : webhooks.list()) {
      webhooks.delete(webhook.id());
    }
    receiver.requests().clear();
  }

  @AfterAll
  static void stop() {
    webhooks.close();
    monitor.close();
    engine.close();
    database.close();
    receiver.close();
  }

  private static String subject() {
    String id = "user-" + names.incrementAndGet();
    engine.putSubject(new Subject(id, "pro", clock.instant(), Map.of()));
    return id;
  }

  private static void consume(String subject, long amount) {
    engine.consume(ConsumeRequest.of(subject, "ai_generations", amount));
  }

  /** Every projection has handled the feed (twice: alerts append to it), then what is due is sent. */
  private static int deliver() {
    monitor.catchUp(Duration.ofSeconds(30));
    monitor.catchUp(Duration.ofSeconds(30));
    return webhooks.deliverDue();
  }

  private static List<Receiver.Request> received(Receiver r, int from) {
    List<Receiver.Request> all = r.requests();
    return all.subList(from, all.size());
  }

  @Test
  void standard_messages_arrive_signed_in_feed_order_with_the_message_id() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed", "quota.denied"));
      assertThat(issued.secret()).startsWith("whsec_");
      assertThat(issued.webhook().id()).startsWith("wh_");
      String alice = subject();
      for (int i = 0; i < 11; i++) {
        consume(alice, 1); // the 11th is denied
      }
      assertThat(deliver()).isEqualTo(11);
      List<Event> events = engine.events(new EventQuery(alice, null, FeedCursor.beginning(), 100)).events().stream()
          .filter(e -> Messages.typeOf(e).filter(t -> t.startsWith("quota.")).isPresent()).toList();
      List<Receiver.Request> got = r.requests();
      assertThat(got).extracting(Receiver.Request::id).containsExactlyElementsOf(events.stream().map(e -> Long.toString(e.id())).toList());
      for (int i = 0; i < got.size(); i++) {
        Receiver.Request request = got.get(i);
        assertThat(Receiver.verify(request, issued.secret(), clock)).as("signature of %s", request.id()).isTrue();
        assertThat(Receiver.verify(request, Signature.newSecret(), clock)).isFalse();
        assertThat(request.timestamp()).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(request.body()).isEqualTo(Messages.of(events.get(i)).orElseThrow().json());
        assertThat(request.contentType()).isEqualTo("application/json");
      }
      assertThat(got.get(10).body()).contains("\"type\":\"quota.denied\"");
      assertThat(webhooks.deliveries(issued.webhook().id(), 100)).hasSize(11).allSatisfy(d -> {
        assertThat(d.state()).isEqualTo("delivered");
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastStatus()).isEqualTo(200);
      });
      assertThat(webhooks.backlog().pending()).isZero();
    }
  }

  @Test
  void only_the_subscribed_types_are_queued() {
    try (Receiver r = new Receiver()) {
      webhooks.create(r.url(), Format.STANDARD, List.of("alert.triggered"));
      String bob = subject();
      for (int i = 0; i < 8; i++) {
        consume(bob, 1);
      }
      deliver();
      assertThat(r.requests()).hasSize(1);
      assertThat(r.requests().get(0).body()).contains("\"type\":\"alert.triggered\"").contains("\"subject\":\"" + bob + "\"");
    }
  }

  @Test
  void an_endpoint_gets_nothing_that_happened_before_it_was_created() {
    try (Receiver r = new Receiver()) {
      webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      String gina = subject();
      clock.advance(Duration.ofSeconds(-1)); // an event stamped before the endpoint existed (another instance's clock)
      consume(gina, 1);
      clock.advance(Duration.ofSeconds(1));
      consume(gina, 1);
      deliver();
      assertThat(r.requests()).hasSize(1);
    }
  }

  @Test
  void no_answer_within_the_timeout_and_a_redirect_are_failed_attempts() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      Webhooks quick = new Webhooks(engine, database.dataSource(), clock,
          Webhooks.Settings.defaults().withAllowPrivate(true).withWorkers(0, Duration.ofMillis(20)).withTimeout(Duration.ofMillis(300)),
          outcome -> {});
      r.delay(2000);
      consume(subject(), 1);
      monitor.catchUp(Duration.ofSeconds(30));
      monitor.catchUp(Duration.ofSeconds(30));
      assertThat(quick.deliverDue()).isEqualTo(1);
      Delivery timedOut = quick.deliveries(issued.webhook().id(), 1).get(0);
      assertThat(timedOut.state()).isEqualTo("pending");
      assertThat(timedOut.lastStatus()).isNull();
      assertThat(timedOut.lastError()).isEqualTo("no answer within 300 ms");
      r.delay(0);
      r.script(new Receiver.Answer(302, Map.of("Location", "http://127.0.0.1:1/elsewhere")));
      clock.set(timedOut.nextAttemptAt());
      assertThat(quick.deliverDue()).isEqualTo(1);
      Delivery redirected = quick.deliveries(issued.webhook().id(), 1).get(0);
      assertThat(redirected.state()).isEqualTo("pending");
      assertThat(redirected.lastStatus()).isEqualTo(302);
      assertThat(redirected.attempts()).isEqualTo(2);
      clock.set(redirected.nextAttemptAt());
      assertThat(quick.deliverDue()).isEqualTo(1);
      assertThat(quick.deliveries(issued.webhook().id(), 1).get(0).state()).isEqualTo("delivered");
      quick.close();
    }
  }

  @Test
  void closing_abandons_an_attempt_to_a_hanging_receiver_which_is_sent_again_later() throws Exception {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      Webhooks stopping = new Webhooks(engine, database.dataSource(), clock,
          Webhooks.Settings.defaults().withAllowPrivate(true).withWorkers(1, Duration.ofMillis(20)), outcome -> {});
      stopping.start();
      r.delay(30_000);
      consume(subject(), 1);
      monitor.catchUp(Duration.ofSeconds(30));
      io.quotient.testing.Eventually.await("the attempt is in flight", Duration.ofSeconds(30), () -> !r.requests().isEmpty());
      long started = System.nanoTime();
      stopping.close();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      Delivery left = webhooks.deliveries(issued.webhook().id(), 1).get(0);
      assertThat(left.state()).isEqualTo("pending");
      assertThat(left.attempts()).isZero();
      r.delay(0);
      assertThat(webhooks.deliverDue()).isEqualTo(1); // the endpoint was given back: no lease to wait out
      assertThat(r.requests()).hasSize(2).extracting(Receiver.Request::id).containsOnly(left.messageId());
    }
  }

  @Test
  void a_failure_is_retried_after_retry_after_with_the_same_id_and_nothing_overtakes_it() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      r.script(new Receiver.Answer(503, Map.of("Retry-After", "120")));
      String carol = subject();
      consume(carol, 1);
      consume(carol, 1);
      assertThat(deliver()).isEqualTo(1); // the first failed; the second waits behind it
      Delivery first = webhooks.deliveries(issued.webhook().id(), 10).get(1);
      assertThat(first.state()).isEqualTo("pending");
      assertThat(first.lastStatus()).isEqualTo(503);
      assertThat(first.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(120)); // longer than 5 s ± 20 %: Retry-After wins
      clock.advance(Duration.ofSeconds(119));
      assertThat(webhooks.deliverDue()).isZero();
      clock.advance(Duration.ofSeconds(1));
      assertThat(webhooks.deliverDue()).isEqualTo(2);
      List<Receiver.Request> got = r.requests();
      assertThat(got).hasSize(3);
      assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
      assertThat(got.get(1).timestamp()).isNotEqualTo(got.get(0).timestamp());
      assertThat(Receiver.verify(got.get(1), issued.secret(), clock)).isTrue();
      assertThat(Long.parseLong(got.get(2).id())).isGreaterThan(Long.parseLong(got.get(1).id()));
    }
  }

  @Test
  void failures_follow_the_schedule_with_jitter_then_the_message_is_given_up() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      for (int i = 0; i < Schedule.ATTEMPTS; i++) {
        r.script(Receiver.Answer.of(500));
      }
      consume(subject(), 1);
      deliver();
      List<Duration> expected = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
          Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
      for (int attempt = 1; attempt < Schedule.ATTEMPTS; attempt++) {
        Delivery d = webhooks.deliveries(issued.webhook().id(), 1).get(0);
        assertThat(d.attempts()).isEqualTo(attempt);
        Duration delay = Duration.between(d.lastAttemptAt(), d.nextAttemptAt());
        Duration base = expected.get(attempt - 1);
        assertThat(delay).isBetween(base.multipliedBy(8).dividedBy(10), base.multipliedBy(12).dividedBy(10));
        clock.set(d.nextAttemptAt());
        assertThat(webhooks.deliverDue()).isEqualTo(1);
      }
      Delivery last = webhooks.deliveries(issued.webhook().id(), 1).get(0);
      assertThat(last.state()).isEqualTo("failed");
      assertThat(last.attempts()).isEqualTo(8);
      assertThat(r.requests()).hasSize(8);
      assertThat(webhooks.get(issued.webhook().id()).orElseThrow().enabled()).isTrue(); // 27.5 h of failures: not 3 days yet
    }
  }

  @Test
  void gone_disables_the_endpoint_with_a_webhook_disabled_event() {
    try (Receiver r = new Receiver(); Receiver watcher = new Receiver()) {
      Webhooks.Issued gone = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      Webhooks.Issued watching = webhooks.create(watcher.url(), Format.STANDARD, List.of("webhook.disabled"));
      r.script(Receiver.Answer.of(410));
      String dave = subject();
      consume(dave, 1);
      consume(dave, 1);
      deliver();
      Webhook disabled = webhooks.get(gone.webhook().id()).orElseThrow();
      assertThat(disabled.enabled()).isFalse();
      assertThat(disabled.disabledReason()).isEqualTo("gone");
      assertThat(webhooks.deliveries(gone.webhook().id(), 10)).extracting(Delivery::state).containsOnly("failed");
      deliver();
      assertThat(watcher.requests()).hasSize(1);
      assertThat(watcher.requests().get(0).body()).contains("\"type\":\"webhook.disabled\"")
          .contains("\"webhook\":\"" + gone.webhook().id() + "\"").contains("\"reason\":\"gone\"");
      assertThat(Receiver.verify(watcher.requests().get(0), watching.secret(), clock)).isTrue();
      consume(dave, 1);
      deliver();
      assertThat(r.requests()).hasSize(1); // a disabled endpoint gets nothing more
    }
  }

  @Test
  void an_endpoint_failing_for_three_days_is_disabled() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      for (int i = 0; i < 100; i++) {
        r.script(Receiver.Answer.of(500));
      }
      String erin = subject();
      Instant start = clock.instant();
      consume(erin, 1);
      deliver();
      while (webhooks.get(issued.webhook().id()).orElseThrow().enabled()) {
        assertThat(Duration.between(start, clock.instant())).isLessThan(Duration.ofDays(4));
        clock.advance(Duration.ofHours(12));
        consume(erin, 1); // new messages keep the endpoint failing after the first is given up
        deliver();
      }
      Webhook disabled = webhooks.get(issued.webhook().id()).orElseThrow();
      assertThat(disabled.disabledReason()).isEqualTo("failing");
      assertThat(Duration.between(start, disabled.disabledAt())).isGreaterThanOrEqualTo(Duration.ofDays(3));
    }
  }

  @Test
  void rotation_signs_with_both_secrets_until_the_overlap_ends() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      Webhooks.Issued rotated = webhooks.rotateSecret(issued.webhook().id());
      assertThat(rotated.secret()).isNotEqualTo(issued.secret()).startsWith("whsec_");
      assertThat(rotated.webhook().previousSecretExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
      String frank = subject();
      consume(frank, 1);
      deliver();
      Receiver.Request during = r.requests().get(0);
      assertThat(during.signature().split(" ")).hasSize(2);
      assertThat(Receiver.verify(during, issued.secret(), clock)).isTrue();
      assertThat(Receiver.verify(during, rotated.secret(), clock)).isTrue();
      clock.advance(Duration.ofHours(24));
      consume(frank, 1);
      deliver();
      Receiver.Request after = r.requests().get(1);
      assertThat(Receiver.verify(after, issued.secret(), clock)).isFalse();
      assertThat(Receiver.verify(after, rotated.secret(), clock)).isTrue();
    }
  }

  @Test
  void slack_and_discord_get_a_readable_sentence() {
    try (Receiver slack = new Receiver(); Receiver discord = new Receiver()) {
      webhooks.create(slack.url(), Format.SLACK, List.of("alert.triggered"));
      webhooks.create(discord.url(), Format.DISCORD, List.of("alert.triggered"));
      String alice = subject();
      consume(alice, 8);
      deliver();
      String sentence = alice + " used 80% of ai_generations (8/10), resets 1 Apr [warning]";
      assertThat(slack.requests()).extracting(Receiver.Request::body).containsExactly("{\"text\":\"" + sentence + "\"}");
      assertThat(discord.requests()).extracting(Receiver.Request::body)
          .containsExactly("{\"content\":\"" + sentence + "\",\"allowed_mentions\":{\"parse\":[]}}");
    }
  }

  @Test
  void long_texts_are_cut_within_the_limits_and_slack_markup_is_escaped() {
    String longText = "x".repeat(5000);
    assertThat(Format.clip(longText, Format.DISCORD_MAX)).hasSize(Format.DISCORD_MAX).endsWith("…");
    assertThat(Format.clip("😀b", 2)).isEqualTo("…"); // never half a surrogate pair
    assertThat(io.quotient.monitor.message.Messages.json("<!channel> \"q\"\n")).isEqualTo("\"<!channel> \\\"q\\\"\\n\"");
  }

  @Test
  void a_test_message_goes_out_at_once_behind_the_queue() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed"));
      Delivery test = webhooks.test(issued.webhook().id());
      assertThat(test.state()).isEqualTo("pending");
      assertThat(test.type()).isEqualTo("webhook.test");
      webhooks.deliverDue();
      assertThat(r.requests()).hasSize(1);
      assertThat(r.requests().get(0).id()).isEqualTo(test.messageId()).startsWith("test_");
      assertThat(r.requests().get(0).body()).contains("\"type\":\"webhook.test\"");
      assertThat(Receiver.verify(r.requests().get(0), issued.secret(), clock)).isTrue();
    }
  }

  @Test
  void urls_must_be_http_and_public_unless_private_addresses_are_allowed() {
    Webhooks strict = new Webhooks(engine, database.dataSource(), clock, Webhooks.Settings.defaults().withWorkers(0, Duration.ofMillis(20)),
        outcome -> {});
    for (String url : List.of("ftp://example.com/x", "http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/", "http://0.0.0.0/",
        "http://user:pw@example.com/", "not a url", "")) {
      assertThatThrownBy(() -> strict.create(url, Format.STANDARD, List.of("quota.consumed")))
          .as(url).isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("url"));
    }
    assertThatThrownBy(() -> strict.create("https://93.184.215.14/x", Format.STANDARD, List.of("quota.eaten")))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("types[0]"));
    assertThatThrownBy(() -> strict.create("https://93.184.215.14/x", Format.STANDARD, List.of()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("types"));
    assertThat(webhooks.list()).isEmpty();
    Webhooks.Issued allowed = strict.create("https://93.184.215.14/hook", Format.SLACK, List.of("alert.triggered"));
    assertThat(webhooks.get(allowed.webhook().id())).isPresent();
  }

  @Test
  void a_private_address_is_refused_again_at_delivery() {
    try (Receiver r = new Receiver()) {
      Webhooks.Issued issued = webhooks.create(r.url(), Format.STANDARD, List.of("quota.consumed")); // allowed here
      Webhooks strict = new Webhooks(engine, database.dataSource(), clock, Webhooks.Settings.defaults().withWorkers(0,
          Duration.ofMillis(20)), outcome -> {});
      consume(subject(), 1);
      monitor.catchUp(Duration.ofSeconds(30));
      assertThat(strict.deliverDue()).isEqualTo(1);
      assertThat(r.requests()).isEmpty();
      Delivery d = strict.deliveries(issued.webhook().id(), 1).get(0);
      assertThat(d.state()).isEqualTo("pending");
      assertThat(d.lastError()).startsWith("refused: ").contains("127.0.0.1");
      assertThat(d.lastStatus()).isNull();
    }
  }

  @Test
  void retry_after_is_read_as_seconds_decimal_seconds_or_a_date() {
    Instant now = Instant.parse("2026-03-10T12:00:00Z");
    assertThat(Deliverer.retryAfter("30", now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Deliverer.retryAfter("1.5", now)).isEqualTo(Duration.ofMillis(1500));
    assertThat(Deliverer.retryAfter("Tue, 10 Mar 2026 12:01:00 GMT", now)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Deliverer.retryAfter("soon", now)).isNull();
  }

}
