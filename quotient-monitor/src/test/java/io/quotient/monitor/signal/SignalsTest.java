package io.quotient.monitor.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.engine.Quotient;
import io.quotient.monitor.FeedMessages;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.message.Message;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each signal's rule on synthetic traffic with a hand-moved clock: it fires once per episode, not
 * on steady traffic, not for a new subject; and the risk score made of them.
 */
class SignalsTest {
  private static final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  private static final AtomicInteger names = new AtomicInteger();
  private static Database database;
  private static Quotient engine;
  private static Signals signals;
  private static Monitor monitor;

  @BeforeAll
  static void start() {
    database = TestDatabase.create(16);
    engine = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
    engine.putPlan(new Plan("one", Map.of("ai", Limit.of(1, Period.MONTH))));
    engine.putPlan(new Plan("big", Map.of("ai", Limit.of(1_000_000, Period.MONTH))));
    signals = new Signals(engine, database.dataSource(), clock);
    monitor = Monitor.builder(engine, database).clock(clock).pollInterval(Duration.ofMillis(20))
        .projection(signals.projection()).start();
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

  /** The signal messages so far (of {@code subject}, or of every subject when null), in feed order. */
  private static List<Message> signalsOf(String subject) {
    return FeedMessages.of(engine, monitor, subject, type -> type.equals("abuse.detected") || type.equals("spike.detected"));
  }

  @Test
  void five_denials_within_a_minute_are_one_burst_however_long_it_lasts_and_a_later_burst_is_another() {
    String alice = subjectOn("one");
    consume(alice, 1);
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(consume(alice, 1).allowed()).isFalse();
    }
    assertThat(signalsOf(alice)).as("four denials are not a burst").isEmpty();
    clock.advance(Duration.ofSeconds(10)); // the fifth, 40 s after the first
    consume(alice, 1);
    for (int i = 0; i < 20; i++) { // the burst goes on: the same episode
      clock.advance(Duration.ofSeconds(5));
      consume(alice, 1);
    }
    List<Message> found = signalsOf(alice);
    assertThat(found).hasSize(1);
    Message burst = found.get(0);
    assertThat(burst.type()).isEqualTo("abuse.detected");
    assertThat(burst.data())
        .containsEntry("subject", alice)
        .containsEntry("signal", "denial_burst")
        .containsEntry("denials", "5")
        .containsEntry("windowSeconds", "60")
        .containsEntry("lastReason", "quota_exceeded");

    clock.advance(Duration.ofMinutes(11)); // quieter than the quiet period: the episode is over
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      consume(alice, 1);
    }
    List<Message> again = signalsOf(alice);
    assertThat(again).hasSize(2);
    assertThat(again.get(1).data()).containsEntry("signal", "denial_burst");
    assertThat(again.get(1).data().get("episode")).isNotEqualTo(burst.data().get("episode"));
  }

  @Test
  void steady_denials_below_the_rate_never_alarm() {
    String bob = subjectOn("one");
    consume(bob, 1);
    for (int i = 0; i < 40; i++) { // 4 a minute for 10 minutes: never 5 within one
      clock.advance(Duration.ofSeconds(15));
      assertThat(consume(bob, 1).allowed()).isFalse();
    }
    assertThat(signalsOf(bob)).isEmpty();
    assertThat(signals.risk(bob).score()).isZero();
  }

  @Test
  void ten_decisions_within_ten_milliseconds_are_a_race_and_steady_requests_are_not() {
    String carol = subjectOn("big");
    for (int i = 0; i < 50; i++) { // one every 20 ms
      clock.advance(Duration.ofMillis(20));
      consume(carol, 1);
    }
    assertThat(signalsOf(carol)).isEmpty();
    for (int i = 0; i < 30; i++) { // one every millisecond, each its own batch
      clock.advance(Duration.ofMillis(1));
      consume(carol, 1);
    }
    List<Message> found = signalsOf(carol);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).data())
        .containsEntry("signal", "race")
        .containsEntry("requests", "10")
        .containsEntry("within", "10 ms");
  }

  @Test
  void ten_decisions_in_one_batch_are_a_race() {
    String dave = subjectOn("big");
    clock.advance(Duration.ofSeconds(1));
    List<ConsumeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      requests.add(ConsumeRequest.of(dave, "ai", 1));
    }
    engine.consumeAll(requests);
    List<Message> found = signalsOf(dave);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).data()).containsEntry("signal", "race").containsEntry("threshold", "10");
  }

  @Test
  void repeated_idempotency_conflicts_are_a_race_and_spread_ones_are_not() {
    String erin = subjectOn("big");
    signals.conflict(erin, 409);
    clock.advance(Duration.ofSeconds(50));
    signals.conflict(erin, 422);
    clock.advance(Duration.ofSeconds(50)); // the first has left the minute
    signals.conflict(erin, 409);
    assertThat(signalsOf(erin)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    signals.conflict(erin, 422);
    signals.conflict(erin, 409);
    List<Message> found = signalsOf(erin);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).data()).containsEntry("signal", "race").containsEntry("conflicts", "3").containsEntry("lastStatus", "422");
  }

  @Test
  void a_burst_of_failed_authentications_is_credential_abuse_per_key_and_per_address() {
    String address = "203.0.113." + names.incrementAndGet();
    for (int i = 0; i < 9; i++) {
      clock.advance(Duration.ofSeconds(5));
      signals.credentialFailure(null, address, null, 401);
    }
    assertThat(episodes("address:" + address)).isEmpty();
    for (int i = 0; i < 5; i++) {
      signals.credentialFailure(null, address, null, 401);
    }
    assertThat(episodes("address:" + address)).hasSize(1);
    List<Message> one = episodes("address:" + address);
    assertThat(one.get(0).data()).containsEntry("signal", "credential_abuse").containsEntry("failures", "10")
        .containsEntry("address", address).containsEntry("subject", null);

    String key = "key-" + names.incrementAndGet();
    for (int i = 0; i < 10; i++) {
      signals.credentialFailure(key, "198.51.100." + i, null, 403); // one key from ten addresses
    }
    List<Message> byKey = episodes("key:" + key);
    assertThat(byKey).hasSize(1);
    assertThat(byKey.get(0).data()).containsEntry("key", key).containsEntry("lastStatus", "403");
  }

  private static List<Message> episodes(String target) {
    return signalsOf(null).stream().filter(m -> target.equals(m.data().get("target"))).toList();
  }

  @Test
  void a_spike_against_a_week_of_steady_use_fires_once_and_steady_use_or_a_new_subject_never_does() {
    String frank = subjectOn("big");
    for (int hour = 0; hour < 8 * 24; hour++) { // ten units an hour for eight days
      clock.advance(Duration.ofHours(1));
      consume(frank, 10);
    }
    clock.advance(Duration.ofMinutes(30));
    consume(frank, 10);
    assertThat(signalsOf(frank)).as("steady use").isEmpty();

    String newcomer = subjectOn("big");
    consume(newcomer, 5000); // a heavy first hour: no history, no alarm
    clock.advance(Duration.ofMinutes(10));
    consume(newcomer, 5000);
    assertThat(signalsOf(newcomer)).as("new subject").isEmpty();

    consume(frank, 100); // 110 units this hour (and part of the last) against a baseline of 10
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(1));
      consume(frank, 50); // the spike goes on: the same episode
    }
    List<Message> found = signalsOf(frank);
    assertThat(found).hasSize(1);
    Message spike = found.get(0);
    assertThat(spike.type()).isEqualTo("spike.detected");
    assertThat(spike.data())
        .containsEntry("subject", frank)
        .containsEntry("signal", "usage_spike")
        .containsEntry("baselinePerHour", "10")
        .containsEntry("factor", "3")
        .containsEntry("historyHours", "168");
    assertThat(new BigDecimal((String) spike.data().get("lastHourUnits"))).isGreaterThanOrEqualTo(new BigDecimal(110));
  }

  @Test
  void risk_is_zero_without_signals_and_made_of_the_recent_ones_with_their_evidence() {
    String grace = subjectOn("one");
    assertThat(signals.risk(grace)).isEqualTo(new Risk(grace, 0, Risk.Band.NONE, List.of()));
    consume(grace, 1);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      consume(grace, 1);
    }
    for (int i = 0; i < 3; i++) {
      signals.conflict(grace, 409);
    }
    monitor.catchUp(Duration.ofSeconds(30));
    Risk risk = signals.risk(grace);
    assertThat(risk.score()).isEqualTo(60);
    assertThat(risk.band()).isEqualTo(Risk.Band.HIGH);
    assertThat(risk.signals()).extracting(p -> p.episode().signal()).containsExactlyInAnyOrder(Signal.DENIAL_BURST, Signal.RACE);
    assertThat(risk.signals().get(0).episode().evidence()).isNotEmpty();
    assertThat(signals.riskiest(50, 100)).extracting(Risk::subject).contains(grace);

    clock.advance(Duration.ofHours(12)); // half decayed
    assertThat(signals.risk(grace).score()).isEqualTo(30);
    assertThat(signals.riskiest(50, 100)).extracting(Risk::subject).doesNotContain(grace);
    clock.advance(Duration.ofHours(12));
    assertThat(signals.risk(grace).score()).isZero();
  }

  @Test
  void rules_are_the_defaults_until_put_and_bad_ones_are_refused_naming_the_field() {
    assertThat(signals.rules()).isEqualTo(SignalRules.DEFAULTS);
    assertThatThrownBy(() -> new SignalRules(
            1, Duration.ofMinutes(1), 10, Duration.ofMillis(10), 3, Duration.ofMinutes(1), BigDecimal.valueOf(3), 20,
            Duration.ofHours(24), 10, Duration.ofMinutes(1), Duration.ofMinutes(10)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("denialBurst.count");
  }
}
