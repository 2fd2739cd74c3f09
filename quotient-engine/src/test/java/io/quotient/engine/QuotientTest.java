package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.decision.Item;
import io.quotient.decision.ItemDecision;
import io.quotient.decision.Reserved;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Enforcement;
import io.quotient.plan.Limit;
import io.quotient.plan.OveragePrice;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.plan.Rate;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReserveRequest;
import io.quotient.status.MetricStatus;
import io.quotient.subject.Subject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QuotientTest {
  private static EngineFixture fx;
  private static Quotient q;

  @BeforeAll
  static void start() {
    fx = new EngineFixture(null);
    q = fx.quotient;
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static MetricStatus status(String subject, String metric) {
    return q.status(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
  }

  private static List<Event> eventsOf(String subject) {
    return q.events(new EventQuery(subject, null, FeedCursor.beginning(), 1000)).events();
  }

  // ---- consume, limits, windows -------------------------------------------------------------

  @Test
  void consume_grants_up_to_the_limit_then_denies_naming_limit_and_reset() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    for (int i = 1; i <= 10; i++) {
      Decision decision = fx.consume(user, "ai", 1);
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.items().get(0).used()).isEqualTo(i);
      assertThat(decision.items().get(0).remaining()).isEqualTo(10 - i);
    }
    Decision denied = fx.consume(user, "ai", 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
    ItemDecision item = denied.items().get(0);
    assertThat(item.limit()).isEqualTo(10);
    assertThat(item.used()).isEqualTo(10);
    assertThat(item.remaining()).isZero();
    assertThat(item.resetsAt()).isEqualTo("2026-04-01T00:00:00Z");
    assertThat(item.reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
    assertThat(status(user, "ai").used()).isEqualTo(10);
  }

  @Test
  void an_amount_larger_than_what_is_left_is_denied_whole() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    assertThat(fx.consume(user, "ai", 7).allowed()).isTrue();
    assertThat(fx.consume(user, "ai", 4).allowed()).isFalse();
    assertThat(fx.consume(user, "ai", 3).allowed()).isTrue();
    assertThat(status(user, "ai").used()).isEqualTo(10);
  }

  @Test
  void multi_item_is_all_or_nothing() {
    Plan plan = fx.plan(Map.of("messages", Limit.of(100, Period.MONTH), "premium", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    ConsumeRequest both = ConsumeRequest.of(user, new Item("messages", 1), new Item("premium", 1));
    assertThat(((Decision) fx.consume(both)).allowed()).isTrue();

    Decision denied = (Decision) fx.consume(both);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
    assertThat(denied.items().get(0).reason()).isNull();
    assertThat(denied.items().get(1).reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
    assertThat(denied.items().get(0).fromPlan()).isZero();
    assertThat(status(user, "messages").used()).isEqualTo(1);
    assertThat(status(user, "premium").used()).isEqualTo(1);
  }

  @Test
  void a_metric_not_in_the_plan_is_denied_and_denies_the_whole_request() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Decision denied = (Decision) fx.consume(ConsumeRequest.of(user, new Item("ai", 1), new Item("exports", 1)));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo(DenialReason.METRIC_NOT_IN_PLAN);
    assertThat(status(user, "ai").used()).isZero();
  }

  @Test
  void unknown_subject_is_refused_without_a_default_plan_and_nothing_is_created() {
    String stranger = fx.unique("stranger");
    Decision denied = fx.consume(stranger, "ai", 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo(DenialReason.UNKNOWN_SUBJECT);
    assertThat(q.subject(stranger)).isEmpty();
    assertThatThrownBy(() -> q.status(stranger)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void unlimited_counts_usage_without_a_cap() {
    Plan plan = fx.plan(Map.of("ai", Limit.unlimited(Period.MONTH)));
    String user = fx.subjectOn(plan);
    Decision decision = fx.consume(user, "ai", 1_000_000);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.items().get(0).limit()).isNull();
    assertThat(decision.items().get(0).remaining()).isNull();
    assertThat(status(user, "ai").used()).isEqualTo(1_000_000);
  }

  @Test
  void a_new_month_starts_from_zero_at_midnight_utc_on_the_first() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(2, Period.MONTH), "projects", Limit.of(2, Period.TOTAL)));
    String user = fx.subjectOn(plan);
    fx.clock.set("2026-03-31T23:59:59Z");
    try {
      assertThat(fx.consume(user, "ai", 2).allowed()).isTrue();
      assertThat(fx.consume(user, "projects", 2).allowed()).isTrue();
      assertThat(fx.consume(user, "ai", 1).allowed()).isFalse();
      fx.clock.set("2026-04-01T00:00:00Z");
      Decision april = fx.consume(user, "ai", 2);
      assertThat(april.allowed()).isTrue();
      assertThat(april.items().get(0).windowStart()).isEqualTo("2026-04-01T00:00:00Z");
      assertThat(april.items().get(0).resetsAt()).isEqualTo("2026-05-01T00:00:00Z");
      Decision projects = fx.consume(user, "projects", 1);
      assertThat(projects.allowed()).as("total never resets").isFalse();
      assertThat(projects.items().get(0).resetsAt()).isNull();
    } finally {
      fx.clock.set("2026-03-10T12:00:00Z");
    }
  }

  @Test
  void billing_month_anchored_on_the_31st_resets_on_the_last_day_of_february_and_on_leap_day() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1, Period.BILLING_MONTH)));
    String user = fx.subjectOn(plan, Instant.parse("2027-12-31T00:00:00Z"));
    try {
      fx.clock.set("2028-02-28T23:00:00Z");
      assertThat(fx.consume(user, "ai", 1).allowed()).isTrue();
      assertThat(fx.consume(user, "ai", 1).allowed()).isFalse();
      fx.clock.set("2028-02-29T00:00:00Z");
      Decision leap = fx.consume(user, "ai", 1);
      assertThat(leap.allowed()).isTrue();
      assertThat(leap.items().get(0).windowStart()).isEqualTo("2028-02-29T00:00:00Z");
      assertThat(leap.items().get(0).resetsAt()).isEqualTo("2028-03-31T00:00:00Z");
    } finally {
      fx.clock.set("2026-03-10T12:00:00Z");
    }
  }

  @Test
  void hour_and_day_windows_reset_on_the_hour_and_at_midnight() {
    Plan plan = fx.plan(Map.of("calls", Limit.of(1, Period.HOUR), "exports", Limit.of(1, Period.DAY)));
    String user = fx.subjectOn(plan);
    try {
      fx.clock.set("2026-03-10T22:59:00Z");
      assertThat(fx.consume(user, "calls", 1).allowed()).isTrue();
      assertThat(fx.consume(user, "exports", 1).allowed()).isTrue();
      fx.clock.set("2026-03-10T23:00:00Z");
      assertThat(fx.consume(user, "calls", 1).allowed()).isTrue();
      assertThat(fx.consume(user, "exports", 1).allowed()).isFalse();
      fx.clock.set("2026-03-11T00:00:00Z");
      assertThat(fx.consume(user, "exports", 1).allowed()).isTrue();
    } finally {
      fx.clock.set("2026-03-10T12:00:00Z");
    }
  }

  // ---- grants, soft limits, rates ------------------------------------------------------------

  @Test
  void grants_are_used_after_the_plan_earliest_expiry_first_and_not_after_they_expire() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    var never = q.grant(new GrantRequest(user, "ai", 2, null, "forever"));
    var late = q.grant(new GrantRequest(user, "ai", 2, Instant.parse("2026-03-20T00:00:00Z"), "late"));
    var soon = q.grant(new GrantRequest(user, "ai", 2, Instant.parse("2026-03-15T00:00:00Z"), "soon"));

    Decision plan1 = fx.consume(user, "ai", 1);
    assertThat(plan1.items().get(0).fromPlan()).isEqualTo(1);
    assertThat(plan1.items().get(0).fromBonus()).isZero();
    assertThat(plan1.items().get(0).bonusRemaining()).isEqualTo(6);

    Decision bonus = fx.consume(user, "ai", 3);
    assertThat(bonus.allowed()).isTrue();
    assertThat(bonus.items().get(0).fromBonus()).isEqualTo(3);
    assertThat(bonus.items().get(0).bonusRemaining()).isEqualTo(3);
    Map<Long, Long> used = new java.util.HashMap<>();
    q.grants(user).forEach(g -> used.put(g.id(), g.used()));
    assertThat(used).containsEntry(soon.id(), 2L).containsEntry(late.id(), 1L).containsEntry(never.id(), 0L);

    try {
      fx.clock.set("2026-03-25T00:00:00Z");
      assertThat(status(user, "ai").bonusRemaining()).as("the late grant's last unit expired").isEqualTo(2);
      assertThat(fx.consume(user, "ai", 3).allowed()).isFalse();
      assertThat(fx.consume(user, "ai", 2).allowed()).isTrue();
      assertThat(fx.consume(user, "ai", 1).allowed()).isFalse();
    } finally {
      fx.clock.set("2026-03-10T12:00:00Z");
    }
  }

  @Test
  void soft_limit_allows_past_the_limit_and_counts_overage_after_bonus() {
    Plan plan =
        fx.plan(
            Map.of(
                "api",
                Limit.of(5, Period.MONTH)
                    .withEnforcement(Enforcement.SOFT)
                    .withOveragePrice(new OveragePrice(new BigDecimal("0.02"), Currency.getInstance("USD")))));
    String user = fx.subjectOn(plan);
    q.grant(new GrantRequest(user, "api", 2, null, null));
    Decision decision = fx.consume(user, "api", 10);
    assertThat(decision.allowed()).isTrue();
    ItemDecision item = decision.items().get(0);
    assertThat(item.fromPlan()).isEqualTo(5);
    assertThat(item.fromBonus()).isEqualTo(2);
    assertThat(item.overage()).isEqualTo(3);
    MetricStatus status = status(user, "api");
    assertThat(status.used()).isEqualTo(10);
    assertThat(status.overage()).isEqualTo(3);
    assertThat(status.remaining()).isZero();
    assertThat(fx.consume(user, "api", 4).items().get(0).overage()).isEqualTo(4);
    assertThat(status(user, "api").overage()).isEqualTo(7);
    assertThat(q.plan(plan.name()).orElseThrow().limitOf("api").overagePrice().costOf(7)).isEqualByComparingTo("0.14");
  }

  @Test
  void burst_rate_denies_past_the_burst_and_refills_with_time() {
    Plan plan = fx.plan(Map.of("calls", Limit.unlimited(Period.MONTH).withRate(new Rate(1, 3))));
    String user = fx.subjectOn(plan);
    for (int i = 0; i < 3; i++) {
      assertThat(fx.consume(user, "calls", 1).allowed()).isTrue();
    }
    Decision limited = fx.consume(user, "calls", 1);
    assertThat(limited.reason()).isEqualTo(DenialReason.RATE_LIMITED);
    assertThat(status(user, "calls").used()).isEqualTo(3);
    fx.clock.advance(Duration.ofSeconds(2));
    assertThat(fx.consume(user, "calls", 2).allowed()).isTrue();
    assertThat(fx.consume(user, "calls", 1).allowed()).isFalse();
  }

  // ---- check ----------------------------------------------------------------------------------

  @Test
  void check_answers_what_consume_would_and_consumes_nothing() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(3, Period.MONTH)));
    String user = fx.subjectOn(plan);
    fx.consume(user, "ai", 2);
    Decision ok = (Decision) q.check(ConsumeRequest.of(user, "ai", 1));
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.items().get(0).used()).isEqualTo(3);
    Decision no = (Decision) q.check(ConsumeRequest.of(user, "ai", 2));
    assertThat(no.allowed()).isFalse();
    assertThat(no.reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
    assertThat(status(user, "ai").used()).isEqualTo(2);
    assertThat(eventsOf(user).stream().filter(e -> e.type() == EventType.CONSUME)).hasSize(1);
  }

  @Test
  void reads_do_not_wait_for_a_writer_holding_the_rows() throws Exception {
    Plan plan = fx.plan(Map.of("ai", Limit.of(5, Period.MONTH)));
    String user = fx.subjectOn(plan);
    fx.consume(user, "ai", 2);
    try (var writer = fx.database.dataSource().getConnection()) {
      writer.setAutoCommit(false);
      try (var lock = writer.prepareStatement("SELECT used FROM counters WHERE subject = ? FOR UPDATE")) {
        lock.setString(1, user);
        lock.executeQuery().close();
      }
      // The row lock is held, as a batch holds it until its commit: reads must not queue behind it.
      var reads =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> List.of(status(user, "ai").used(), ((Decision) q.check(ConsumeRequest.of(user, "ai", 1))).items().get(0).used()));
      assertThat(reads.get(30, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(2L, 3L);
      writer.rollback();
    }
  }

  // ---- reservations ---------------------------------------------------------------------------

  @Test
  void a_reservation_holds_units_and_commit_of_less_returns_the_rest() {
    Plan plan = fx.plan(Map.of("minutes", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Reserved reserved = (Reserved) q.reserve(new ReserveRequest(ConsumeRequest.of(user, "minutes", 8), Duration.ofMinutes(5)));
    assertThat(reserved.expiresAt()).isEqualTo(fx.clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(status(user, "minutes").held()).isEqualTo(8);
    assertThat(status(user, "minutes").remaining()).isEqualTo(2);
    assertThat(fx.consume(user, "minutes", 3).allowed()).as("held units count as used").isFalse();

    ReservationResult committed = q.commit(reserved.reservationId(), Map.of("minutes", 5L));
    assertThat(committed).isInstanceOf(ReservationResult.Committed.class);
    MetricStatus after = status(user, "minutes");
    assertThat(after.used()).isEqualTo(5);
    assertThat(after.held()).isZero();
    assertThat(after.remaining()).isEqualTo(5);
    assertThat(q.commit(reserved.reservationId(), Map.of())).isEqualTo(new ReservationResult.Closed(reserved.reservationId(), io.quotient.reservation.ReservationState.COMMITTED));
    assertThatThrownBy(() -> q.commit(reserved.reservationId() + "x", Map.of())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void commit_of_more_than_held_is_refused_and_changes_nothing() {
    Plan plan = fx.plan(Map.of("minutes", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Reserved reserved = (Reserved) q.reserve(new ReserveRequest(ConsumeRequest.of(user, "minutes", 4), Duration.ofMinutes(5)));
    assertThatThrownBy(() -> q.commit(reserved.reservationId(), Map.of("minutes", 5L)))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("amounts.minutes"));
    assertThat(status(user, "minutes").held()).isEqualTo(4);
    assertThat(q.release(reserved.reservationId())).isInstanceOf(ReservationResult.Released.class);
    assertThat(status(user, "minutes").held()).isZero();
    assertThat(status(user, "minutes").used()).isZero();
  }

  @Test
  void an_expired_reservation_returns_its_units_by_itself() {
    Plan plan = fx.plan(Map.of("minutes", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Reserved reserved = (Reserved) q.reserve(new ReserveRequest(ConsumeRequest.of(user, "minutes", 10), Duration.ofSeconds(30)));
    assertThat(fx.consume(user, "minutes", 1).allowed()).isFalse();
    fx.clock.advance(Duration.ofSeconds(31));
    assertThat(status(user, "minutes").held()).as("reads see the expiry before any sweep").isZero();
    assertThat(fx.consume(user, "minutes", 10).allowed()).as("the next batch returns the hold").isTrue();
    assertThat(q.commit(reserved.reservationId(), Map.of())).isEqualTo(new ReservationResult.Closed(reserved.reservationId(), io.quotient.reservation.ReservationState.EXPIRED));
    assertThat(eventsOf(user).stream().map(Event::type)).contains(EventType.RESERVE, EventType.EXPIRE);
    assertThat(status(user, "minutes").used()).isEqualTo(10);
  }

  @Test
  void the_sweep_expires_holds_nobody_touches() throws Exception {
    Plan plan = fx.plan(Map.of("minutes", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    q.reserve(new ReserveRequest(ConsumeRequest.of(user, "minutes", 6), Duration.ofSeconds(10)));
    assertThat(storedHeld(user)).isEqualTo(6);
    fx.clock.advance(Duration.ofSeconds(11));
    assertThat(q.expireReservations()).isGreaterThanOrEqualTo(1);
    assertThat(storedHeld(user)).isZero();
    assertThat(eventsOf(user).stream().map(Event::type)).contains(EventType.EXPIRE);
  }

  private static long storedHeld(String subject) throws java.sql.SQLException {
    try (var connection = fx.database.dataSource().getConnection();
        var statement = connection.prepareStatement("SELECT coalesce(sum(held), 0) FROM counters WHERE subject = ?")) {
      statement.setString(1, subject);
      try (var rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void a_reservation_ttl_out_of_range_is_refused() {
    assertThatThrownBy(() -> new ReserveRequest(ConsumeRequest.of("u", "m", 1), Duration.ofHours(25)))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("ttlSeconds"));
    assertThatThrownBy(() -> new ReserveRequest(ConsumeRequest.of("u", "m", 1), Duration.ZERO))
        .isInstanceOf(InvalidArgumentException.class);
  }

  // ---- idempotency ----------------------------------------------------------------------------

  @Test
  void a_retry_with_the_same_key_replays_the_first_decision_and_consumes_once() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    ConsumeRequest request = ConsumeRequest.of(user, "ai", 2).withIdempotencyKey("k-1").withScope("svc");
    Decision first = (Decision) fx.consume(request);
    Decision retry = (Decision) fx.consume(request);
    assertThat(first.replayed()).isFalse();
    assertThat(retry.replayed()).isTrue();
    assertThat(retry.eventId()).isEqualTo(first.eventId());
    assertThat(retry.items()).isEqualTo(first.items());
    assertThat(status(user, "ai").used()).isEqualTo(2);
    Decision otherScope = (Decision) fx.consume(request.withScope("other-service"));
    assertThat(otherScope.replayed()).as("keys are scoped to the subject, not the caller").isTrue();
    assertThat(otherScope.eventId()).isEqualTo(first.eventId());
    assertThat(status(user, "ai").used()).isEqualTo(2);
  }

  @Test
  void a_denial_is_replayed_too_even_after_units_free_up() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Decision granted = fx.consume(user, "ai", 1);
    ConsumeRequest request = ConsumeRequest.of(user, "ai", 1).withIdempotencyKey("deny-me");
    Decision denied = (Decision) fx.consume(request);
    assertThat(denied.allowed()).isFalse();
    q.refund(RefundRequest.ofEvent(granted.eventId()));
    Decision replay = (Decision) fx.consume(request);
    assertThat(replay.allowed()).isFalse();
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
  }

  @Test
  void the_same_key_with_other_parameters_is_a_mismatch_and_consumes_nothing() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    fx.consume(ConsumeRequest.of(user, "ai", 1).withIdempotencyKey("k"));
    ConsumeResult mismatch = fx.consume(ConsumeRequest.of(user, "ai", 2).withIdempotencyKey("k"));
    assertThat(mismatch).isEqualTo(new IdempotencyMismatch("k"));
    assertThat(status(user, "ai").used()).isEqualTo(1);
  }

  @Test
  void threads_racing_with_one_key_get_one_decision_between_them() throws Exception {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1000, Period.MONTH)));
    for (int round = 0; round < 5; round++) {
      String user = fx.subjectOn(plan);
      ConsumeRequest request = ConsumeRequest.of(user, "ai", 1).withIdempotencyKey("race");
      int threads = 16;
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<ConsumeResult>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return q.consume(request);
        }));
      }
      go.countDown();
      List<Long> decided = new ArrayList<>();
      int firsts = 0;
      for (Future<ConsumeResult> future : futures) {
        ConsumeResult result = future.get();
        if (result instanceof Decision decision) {
          decided.add(decision.eventId());
          firsts += decision.replayed() ? 0 : 1;
        } else {
          assertThat(result).isEqualTo(new IdempotencyInFlight("race"));
        }
      }
      pool.shutdown();
      assertThat(firsts).isEqualTo(1);
      assertThat(decided).isNotEmpty().allMatch(id -> id.equals(decided.get(0)));
      assertThat(status(user, "ai").used()).isEqualTo(1);
    }
  }

  @Test
  void keys_older_than_the_retention_are_purged_and_then_decide_anew() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    String user = fx.subjectOn(plan);
    ConsumeRequest request = ConsumeRequest.of(user, "ai", 1).withIdempotencyKey("old");
    fx.consume(request);
    try {
      fx.clock.advance(Duration.ofHours(25));
      assertThat(q.purgeExpiredIdempotencyKeys()).isGreaterThanOrEqualTo(1);
      Decision fresh = (Decision) fx.consume(request);
      assertThat(fresh.replayed()).isFalse();
      assertThat(status(user, "ai").used()).isEqualTo(2);
    } finally {
      fx.clock.set("2026-03-10T12:00:00Z");
    }
  }

  // ---- refunds --------------------------------------------------------------------------------

  @Test
  void refund_gives_back_all_or_part_and_never_more_than_was_consumed() {
    Plan plan = fx.plan(Map.of("projects", Limit.of(3, Period.TOTAL)));
    String user = fx.subjectOn(plan);
    Decision three = fx.consume(user, "projects", 3);
    assertThat(fx.consume(user, "projects", 1).allowed()).isFalse();

    RefundResult one = q.refund(RefundRequest.ofEvent(three.eventId()).withAmount(1));
    assertThat(one).isInstanceOfSatisfying(RefundResult.Refunded.class, r -> assertThat(r.items().get(0).used()).isEqualTo(2));
    assertThat(fx.consume(user, "projects", 1).allowed()).isTrue();
    assertThat(q.refund(RefundRequest.ofEvent(three.eventId()).withAmount(3)))
        .isEqualTo(new RefundResult.NotRefundable(three.eventId(), 2));
    assertThat(q.refund(RefundRequest.ofEvent(three.eventId()))).isInstanceOf(RefundResult.Refunded.class);
    assertThat(q.refund(RefundRequest.ofEvent(three.eventId()))).isEqualTo(new RefundResult.NotRefundable(three.eventId(), 0));
    assertThat(status(user, "projects").used()).isEqualTo(1);
  }

  @Test
  void refund_by_idempotency_key_and_of_bonus_units_returns_them_to_the_grant() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    q.grant(new GrantRequest(user, "ai", 5, null, "promo"));
    fx.consume(ConsumeRequest.of(user, "ai", 3).withIdempotencyKey("gen-1").withScope("svc"));
    assertThat(status(user, "ai").bonusRemaining()).isEqualTo(3);
    RefundResult refunded = q.refund(RefundRequest.ofIdempotencyKey(user, "gen-1").withScope("svc"));
    assertThat(refunded).isInstanceOf(RefundResult.Refunded.class);
    assertThat(status(user, "ai").bonusRemaining()).isEqualTo(5);
    assertThat(status(user, "ai").used()).isZero();
    assertThat(q.refund(RefundRequest.ofIdempotencyKey(user, "gen-1")))
        .as("another caller names the same consume by its key").isInstanceOf(RefundResult.NotRefundable.class);
    assertThatThrownBy(() -> q.refund(RefundRequest.ofIdempotencyKey(user, "gen-2")))
        .as("an unknown key is not found").isInstanceOf(NotFoundException.class);
    assertThat(eventsOf(user).stream().filter(e -> e.type() == EventType.REFUND).findFirst().orElseThrow().relatedEventId())
        .isNotNull();
  }

  @Test
  void refund_of_a_denied_consume_gives_nothing() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(0, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Decision denied = fx.consume(user, "ai", 1);
    assertThat(q.refund(RefundRequest.ofEvent(denied.eventId()))).isEqualTo(new RefundResult.NotRefundable(denied.eventId(), 0));
  }

  // ---- plans and subjects ---------------------------------------------------------------------

  @Test
  void upgrade_and_downgrade_apply_at_once_and_usage_carries_over() {
    Plan free = fx.plan(Map.of("ai", Limit.of(10, Period.MONTH)));
    Plan starter = fx.plan(Map.of("ai", Limit.of(100, Period.MONTH)));
    String user = fx.subjectOn(free);
    fx.consume(user, "ai", 10);
    assertThat(fx.consume(user, "ai", 1).allowed()).isFalse();
    q.putSubject(new Subject(user, starter.name(), fx.clock.instant(), Map.of()));
    Decision upgraded = fx.consume(user, "ai", 1);
    assertThat(upgraded.allowed()).isTrue();
    assertThat(upgraded.items().get(0).limit()).isEqualTo(100);
    assertThat(upgraded.items().get(0).used()).isEqualTo(11);
    q.putSubject(new Subject(user, free.name(), fx.clock.instant(), Map.of()));
    Decision downgraded = fx.consume(user, "ai", 1);
    assertThat(downgraded.allowed()).isFalse();
    assertThat(status(user, "ai").used()).isEqualTo(11);
    assertThat(status(user, "ai").remaining()).isZero();
    assertThat(eventsOf(user).stream().filter(e -> e.type() == EventType.SUBJECT_CHANGE)).hasSize(3);
  }

  @Test
  void a_plan_update_applies_to_the_next_request() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    fx.consume(user, "ai", 1);
    assertThat(fx.consume(user, "ai", 1).allowed()).isFalse();
    q.putPlan(new Plan(plan.name(), Map.of("ai", Limit.of(5, Period.MONTH))));
    assertThat(fx.consume(user, "ai", 1).allowed()).isTrue();
    assertThat(q.plan(plan.name()).orElseThrow().limitOf("ai").limit()).isEqualTo(5);
    assertThat(q.plans()).extracting(Plan::name).contains(plan.name());
  }

  @Test
  void admin_reset_starts_the_current_window_again() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(2, Period.MONTH), "exports", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    fx.consume(user, "ai", 2);
    fx.consume(user, "exports", 1);
    q.reset(user, "ai", "admin-key");
    assertThat(status(user, "ai").used()).isZero();
    assertThat(status(user, "exports").used()).isEqualTo(1);
    q.reset(user, null, "admin-key");
    assertThat(status(user, "exports").used()).isZero();
    Event reset = eventsOf(user).stream().filter(e -> e.type() == EventType.RESET).findFirst().orElseThrow();
    assertThat(reset.scope()).isEqualTo("admin-key");
    assertThat(reset.detail()).containsEntry("metric", "ai");
    assertThatThrownBy(() -> q.reset(user, "nope", "a")).isInstanceOf(InvalidArgumentException.class);
  }

  // ---- events ---------------------------------------------------------------------------------

  @Test
  void every_decision_is_an_event_with_its_context() {
    Plan plan = fx.plan(Map.of("ai", Limit.of(1, Period.MONTH)));
    String user = fx.subjectOn(plan);
    Decision granted =
        (Decision)
            fx.consume(
                ConsumeRequest.of(user, "ai", 1)
                    .withScope("svc-1")
                    .withMetadata(Map.of("route", "/gen", "note", "tab\there\nnew \\ \"quoted\" \r end")));
    Decision denied = fx.consume(user, "ai", 1);
    List<Event> consumes = eventsOf(user).stream().filter(e -> e.type() == EventType.CONSUME).toList();
    assertThat(consumes).hasSize(2);
    Event first = consumes.get(0);
    assertThat(first.id()).isEqualTo(granted.eventId());
    assertThat(first.allowed()).isTrue();
    assertThat(first.scope()).isEqualTo("svc-1");
    assertThat(first.metadata())
        .containsEntry("route", "/gen")
        .containsEntry("note", "tab\there\nnew \\ \"quoted\" \r end");
    assertThat(first.items().get(0).limit()).isEqualTo(1);
    assertThat(first.items().get(0).used()).isEqualTo(1);
    assertThat(first.items().get(0).remaining()).isZero();
    Event second = consumes.get(1);
    assertThat(second.id()).isEqualTo(denied.eventId());
    assertThat(second.allowed()).isFalse();
    assertThat(second.reason()).isEqualTo("quota_exceeded");
  }

  @Test
  void events_page_with_a_cursor() {
    Plan plan = fx.plan(Map.of("ai", Limit.unlimited(Period.MONTH)));
    String user = fx.subjectOn(plan);
    for (int i = 0; i < 7; i++) {
      fx.consume(user, "ai", 1);
    }
    List<Long> seen = new ArrayList<>();
    FeedCursor after = FeedCursor.beginning();
    while (true) {
      EventPage page = q.events(new EventQuery(user, EventType.CONSUME, after, 3));
      page.events().forEach(e -> seen.add(e.id()));
      assertThat(page.nextCursor()).isGreaterThanOrEqualTo(after);
      after = page.nextCursor();
      if (page.events().size() < 3) {
        break;
      }
    }
    // One engine's consumes, one at a time: feed order is id order here.
    assertThat(seen).hasSize(7).isSorted().doesNotHaveDuplicates();
    assertThat(q.events(new EventQuery(user, EventType.CONSUME, after, 3)).events()).isEmpty();
  }

  // ---- bad arguments --------------------------------------------------------------------------

  @Test
  void bad_arguments_are_refused_with_the_field_named_and_nothing_is_written() {
    assertField(() -> ConsumeRequest.of(" ", "ai", 1), "subject");
    assertField(() -> ConsumeRequest.of("u", "ai", 0), "amount");
    assertField(() -> ConsumeRequest.of("u", "ai", -5), "amount");
    assertField(() -> ConsumeRequest.of("u", "ai", (1L << 53) + 1), "amount");
    assertField(() -> ConsumeRequest.of("u", "AI Generations", 1), "metric");
    assertField(() -> ConsumeRequest.of("u".repeat(300), "ai", 1), "subject");
    assertField(() -> ConsumeRequest.of("u", new Item("ai", 1), new Item("ai", 2)), "items[1].metric");
    assertField(() -> new Plan("Bad Name", Map.of()), "name");
    assertField(() -> new io.quotient.plan.Limit(-1L, Period.MONTH, null, null, null), "limit");

    long before = q.events(new EventQuery(null, null, FeedCursor.beginning(), 1000)).events().size();
    String ghost = fx.unique("ghost");
    assertThatThrownBy(() -> q.putSubject(new Subject(ghost, "no-such-plan", Instant.EPOCH, Map.of())))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.kind()).isEqualTo("plan"));
    assertThat(q.subject(ghost)).isEmpty();
    assertThatThrownBy(() -> q.grant(new GrantRequest(ghost, "ai", 1, null, null))).isInstanceOf(NotFoundException.class);
    assertThat(q.grants(ghost)).isEmpty();
    assertThat(q.events(new EventQuery(null, null, FeedCursor.beginning(), 1000)).events().size()).isEqualTo(before);
  }

  private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
