package io.quotient.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.grant.GrantRequest;
import io.quotient.monitor.FeedInversion;
import io.quotient.monitor.FeedMessages;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.message.Message;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.refund.RefundRequest;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Threshold alerts on a hand-moved clock: the boundary cases of the issue, resolution by grant and
 * refund, rules, and two instances on one database sending each alert once.
 */
class AlertsTest {
  private static final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  private static final AtomicInteger names = new AtomicInteger();
  private static Database database;
  private static Quotient engine;
  private static Monitor monitor;

  @BeforeAll
  static void start() {
    database = TestDatabase.create(16);
    engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
    engine.putPlan(new Plan("pro", Map.of("ai", Limit.of(10, Period.MONTH))));
    engine.putPlan(new Plan("metered", Map.of("ai", new Limit(100L, Period.MONTH, Enforcement.SOFT, null, null))));
    engine.putPlan(new Plan("ruled", Map.of("ai", Limit.of(10, Period.MONTH), "exports", Limit.of(10, Period.MONTH))));
    engine.putPlan(FeedInversion.PLAN);
    monitor = Monitor.builder(engine, database).clock(clock).pollInterval(Duration.ofMillis(20)).start();
  }

  @AfterAll
  static void stop() {
    monitor.close();
    engine.close();
    database.close();
  }

  private static String subjectOn(String plan) {
    String id = "user-" + names.incrementAndGet();
    engine.putSubject(new Subject(id, plan, clock.instant(), Map.of()));
    return id;
  }

  private static Decision consume(String subject, long amount) {
    return (Decision) engine.consume(ConsumeRequest.of(subject, "ai", amount));
  }

  /** The subject's alert messages so far, in feed order. */
  private static List<Message> alerts(String subject) {
    return FeedMessages.of(engine, monitor, subject, type -> type.startsWith("alert."));
  }

  @Test
  void landing_exactly_on_80_percent_fires_one_warning_and_90_percent_fires_nothing_more() {
    String alice = subjectOn("pro");
    consume(alice, 7);
    assertThat(alerts(alice)).isEmpty();
    consume(alice, 1); // 8 of 10: exactly 80 %
    consume(alice, 1); // 90 %: nothing new
    List<Message> alerts = alerts(alice);
    assertThat(alerts).hasSize(1);
    Message fired = alerts.get(0);
    assertThat(fired.type()).isEqualTo("alert.triggered");
    assertThat(fired.data())
        .containsEntry("subject", alice)
        .containsEntry("metric", "ai")
        .containsEntry("level", "warning")
        .containsEntry("thresholds", List.of(80))
        .containsEntry("used", 8L)
        .containsEntry("limit", 10L)
        .containsEntry("remaining", 2L)
        .containsEntry("windowStart", "2026-03-01T00:00:00Z")
        .containsEntry("resetsAt", "2026-04-01T00:00:00Z");
    assertThat(monitor.alerts().list(new AlertQuery("firing", alice, null, 100)))
        .extracting(Alert::threshold, Alert::level)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(80, "warning"));
  }

  @Test
  void a_jump_from_70_to_101_percent_fires_one_alert_listing_every_threshold() {
    String bob = subjectOn("metered");
    consume(bob, 70);
    consume(bob, 31);
    List<Message> alerts = alerts(bob);
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).data())
        .containsEntry("thresholds", List.of(80, 95, 100))
        .containsEntry("level", "exceeded")
        .containsEntry("used", 101L)
        .containsEntry("limit", 100L);
    assertThat(monitor.alerts().list(new AlertQuery("firing", bob, "ai", 100))).extracting(Alert::threshold)
        .containsExactlyInAnyOrder(80, 95, 100);
  }

  @Test
  void a_new_window_rearms_and_closes_the_old_window_alerts() {
    MutableClock c = clock;
    String carol = subjectOn("pro");
    consume(carol, 8);
    assertThat(alerts(carol)).extracting(Message::type).containsExactly("alert.triggered");
    Instant before = c.instant();
    c.set("2026-04-02T09:00:00Z");
    try {
      consume(carol, 5); // 50 % of April: re-armed, nothing fires
      assertThat(alerts(carol)).extracting(Message::type).containsExactly("alert.triggered", "alert.resolved");
      assertThat(alerts(carol).get(1).data())
          .containsEntry("reason", "window_ended")
          .containsEntry("windowStart", "2026-03-01T00:00:00Z");
      consume(carol, 3); // 80 % of April
      List<Message> alerts = alerts(carol);
      assertThat(alerts).extracting(Message::type).containsExactly("alert.triggered", "alert.resolved", "alert.triggered");
      assertThat(alerts.get(2).data()).containsEntry("windowStart", "2026-04-01T00:00:00Z").containsEntry("thresholds", List.of(80));
    } finally {
      c.set(before);
    }
  }

  @Test
  void a_grant_resolves_what_the_new_allowance_puts_back_below() {
    String dave = subjectOn("pro");
    consume(dave, 10);
    assertThat(alerts(dave)).singleElement().satisfies(m -> assertThat(m.data()).containsEntry("thresholds", List.of(80, 95, 100)));
    engine.grant(new GrantRequest(dave, "ai", 10, null, "sorry"));
    List<Message> alerts = alerts(dave);
    assertThat(alerts).extracting(Message::type).containsExactly("alert.triggered", "alert.resolved");
    assertThat(alerts.get(1).data()).containsEntry("thresholds", List.of(80, 95, 100)).containsEntry("reason", "grant");
    assertThat(monitor.alerts().list(new AlertQuery("firing", dave, null, 100))).isEmpty();
    assertThat(monitor.alerts().list(new AlertQuery("resolved", dave, null, 100))).extracting(Alert::resolvedReason)
        .containsOnly("grant").hasSize(3);
  }

  @Test
  void a_refund_resolves_and_crossing_again_fires_again() {
    String erin = subjectOn("pro");
    consume(erin, 5);
    Decision four = consume(erin, 4); // 90 %
    engine.refund(RefundRequest.ofEvent(four.eventId())); // 50 %
    List<Message> alerts = alerts(erin);
    assertThat(alerts).extracting(Message::type).containsExactly("alert.triggered", "alert.resolved");
    assertThat(alerts.get(1).data()).containsEntry("thresholds", List.of(80)).containsEntry("reason", "refund")
        .containsEntry("used", 5L);
    consume(erin, 3); // 80 % again: a new crossing
    assertThat(alerts(erin)).extracting(Message::type).containsExactly("alert.triggered", "alert.resolved", "alert.triggered");
  }

  @Test
  void a_rule_overrides_the_defaults_for_its_plan_and_metric() {
    monitor.alerts().putRule(new AlertRule("ruled-ai", "ruled", "ai", List.of(50, 30), null));
    try {
      String fay = subjectOn("ruled");
      consume(fay, 3);
      engine.consume(ConsumeRequest.of(fay, "exports", 8));
      List<Message> alerts = alerts(fay);
      assertThat(alerts).hasSize(2);
      assertThat(alerts.get(0).data()).containsEntry("metric", "ai").containsEntry("thresholds", List.of(30))
          .containsEntry("level", "warning");
      assertThat(alerts.get(1).data()).containsEntry("metric", "exports").containsEntry("thresholds", List.of(80));
      assertThat(monitor.alerts().rule("ruled-ai")).get().extracting(AlertRule::thresholds).isEqualTo(List.of(30, 50));
      assertThatThrownBy(() -> monitor.alerts().putRule(new AlertRule("same-scope", "ruled", "ai", List.of(10), null)))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("already covers");
      assertThatThrownBy(() -> new AlertRule("bad", null, null, List.of(0), null))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("thresholds[0]");
    } finally {
      assertThat(monitor.alerts().deleteRule("ruled-ai")).isTrue();
    }
    assertThat(monitor.alerts().deleteRule("ruled-ai")).isFalse();
  }

  /** The feed shows a decision to 10 before the decision to 8 it waited for: the 8 must resolve nothing. */
  @Test
  void a_decision_that_comes_after_a_newer_one_in_the_feed_resolves_nothing() throws Exception {
    String gil = subjectOn(FeedInversion.PLAN.name());
    FeedInversion.decide(engine, database, clock, gil);
    List<Message> alerts = alerts(gil);
    assertThat(alerts).extracting(Message::type).containsExactly("alert.triggered");
    assertThat(alerts.get(0).data()).containsEntry("thresholds", List.of(80, 95, 100)).containsEntry("used", 10L);
    assertThat(monitor.alerts().list(new AlertQuery("firing", gil, "ai", 100))).extracting(Alert::threshold)
        .containsExactlyInAnyOrder(80, 95, 100);
  }

  @Test
  void two_instances_send_each_crossing_once() throws Exception {
    Quotient second = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
    Monitor secondMonitor = Monitor.builder(second, database).clock(clock).pollInterval(Duration.ofMillis(5)).stepEvents(3).start();
    try {
      List<String> subjects = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        subjects.add(subjectOn("pro"));
      }
      int threads = 12;
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Quotient through = t % 2 == 0 ? engine : second;
        int offset = t;
        callers.add(Thread.ofPlatform().start(() -> {
          try {
            go.await();
            // Each subject gets 12 requests of 1 unit (10 granted), from every thread in turn.
            for (int i = 0; i < subjects.size(); i++) {
              through.consume(ConsumeRequest.of(subjects.get((i + offset) % subjects.size()), "ai", 1));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      go.countDown();
      for (Thread caller : callers) {
        caller.join();
      }
      secondMonitor.catchUp(Duration.ofSeconds(30));
      for (String subject : subjects) {
        Map<Integer, Integer> fired = new HashMap<>();
        for (Message m : alerts(subject)) {
          assertThat(m.type()).isEqualTo("alert.triggered");
          for (Object t : (List<?>) m.data().get("thresholds")) {
            fired.merge((Integer) t, 1, Integer::sum);
          }
        }
        assertThat(fired).as(subject).isEqualTo(Map.of(80, 1, 95, 1, 100, 1));
        assertThat(monitor.alerts().list(new AlertQuery(null, subject, null, 100))).hasSize(3);
      }
    } finally {
      secondMonitor.close();
      second.close();
    }
  }

  @Test
  void an_instance_trusts_the_firing_state_it_remembers_only_while_no_other_has_stepped_since() throws Exception {
    // A database of its own: the class's monitor would step through everything here.
    try (Database own = TestDatabase.create(8);
        Quotient a = Quotient.builder(own.dataSource()).clock(clock).sweepInterval(null).build();
        Quotient b = Quotient.builder(own.dataSource()).clock(clock).sweepInterval(null).build()) {
      a.putPlan(new Plan("pro", Map.of("ai", Limit.of(10, Period.MONTH))));
      a.putSubject(new Subject("alice", "pro", clock.instant(), Map.of()));
      // Each instance is woken by its own engine's commits only (no polling within the test).
      try (Monitor first = Monitor.builder(a, own).clock(clock).pollInterval(Duration.ofHours(1)).start();
          Monitor second = Monitor.builder(b, own).clock(clock).pollInterval(Duration.ofHours(1)).start()) {
        Decision eight = (Decision) a.consume(ConsumeRequest.of("alice", "ai", 8));
        first.catchUp(Duration.ofSeconds(30)); // first: 80 % fires, and first remembers it firing
        b.refund(RefundRequest.ofEvent(eight.eventId()));
        second.catchUp(Duration.ofSeconds(30)); // second: the refund resolves it
        a.consume(ConsumeRequest.of("alice", "ai", 8));
        first.catchUp(Duration.ofSeconds(30)); // first again: its memory says firing, the row says resolved
        assertThat(first.alerts().list(new AlertQuery(null, "alice", null, 100)))
            .extracting(Alert::state)
            .containsExactlyInAnyOrder("resolved", "firing");
      }
    }
  }
}
