package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 7, defect 6: a refund with a key of its own gives units back once, however often it is retried. */
class RefundKeysTest {
  private static EngineFixture fx;
  private static Quotient second;

  @BeforeAll
  static void start() {
    fx = new EngineFixture(null);
    second = Quotient.builder(fx.database.dataSource()).clock(fx.clock).sweepInterval(null).build();
  }

  @AfterAll
  static void stop() {
    second.close();
    fx.close();
  }

  private static long used(String subject) {
    return fx.quotient.status(subject).metrics().get(0).used();
  }

  private static String userWith(long consumed) {
    Plan plan = fx.plan(Map.of("ai", Limit.of(100, Period.MONTH)));
    String user = fx.subjectOn(plan);
    assertThat(fx.consume(user, "ai", consumed).allowed()).isTrue();
    return user;
  }

  @Test
  void a_retried_partial_refund_gives_back_once_and_replays_the_first_answer() {
    String user = userWith(4);
    long consume = fx.quotient.events(new io.quotient.event.EventQuery(user, null, io.quotient.feed.FeedCursor.beginning(), 10)).events().stream()
        .filter(e -> e.type() == io.quotient.event.EventType.CONSUME).findFirst().orElseThrow().id();
    RefundRequest request = RefundRequest.ofEvent(consume).withAmount(2).withRequestKey("refund-a");
    RefundResult first = fx.quotient.refund(request);
    assertThat(first).isInstanceOfSatisfying(RefundResult.Refunded.class, r -> assertThat(r.replayed()).isFalse());
    RefundResult.Refunded original = (RefundResult.Refunded) first;
    for (int i = 0; i < 2; i++) {
      RefundResult retry = fx.quotient.refund(request.withScope("another-caller"));
      assertThat(retry).isEqualTo(new RefundResult.Refunded(
          original.eventId(), original.consumeEventId(), original.subject(), original.items(), true));
    }
    assertThat(used(user)).isEqualTo(2);
    // Without a key, each call is a new refund (as before).
    assertThat(fx.quotient.refund(RefundRequest.ofEvent(consume).withAmount(2))).isInstanceOf(RefundResult.Refunded.class);
    assertThat(used(user)).isZero();
  }

  @Test
  void the_same_key_with_other_parameters_or_used_by_a_consume_is_a_mismatch() {
    String user = userWith(5);
    fx.consume(ConsumeRequest.of(user, "ai", 1).withIdempotencyKey("shared-key"));
    RefundRequest byKey = RefundRequest.ofIdempotencyKey(user, "shared-key").withRequestKey("refund-b");
    assertThat(fx.quotient.refund(byKey)).isInstanceOf(RefundResult.Refunded.class);
    assertThat(fx.quotient.refund(byKey.withAmount(1))).isEqualTo(new RefundResult.KeyMismatch("refund-b"));
    // A refund key that a consume of the subject used, and a consume key a refund used.
    assertThat(fx.quotient.refund(byKey.withRequestKey("shared-key"))).isEqualTo(new RefundResult.KeyMismatch("shared-key"));
    assertThat(fx.consume(ConsumeRequest.of(user, "ai", 1).withIdempotencyKey("refund-b"))).isInstanceOf(IdempotencyMismatch.class);
    assertThat(used(user)).isEqualTo(5);
  }

  @Test
  void concurrent_retries_on_two_engines_give_back_once() throws Exception {
    String user = userWith(10);
    RefundRequest request = RefundRequest.ofIdempotencyKey(user, "c-1").withAmount(3).withRequestKey("refund-c");
    // The consume to refund, made with a key so the refund can name it.
    Decision consume = (Decision) fx.consume(ConsumeRequest.of(user, "ai", 5).withIdempotencyKey("c-1"));
    assertThat(consume.allowed()).isTrue();
    int threads = 32;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<RefundResult>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        Quotient engine = i % 2 == 0 ? fx.quotient : second;
        answers.add(pool.submit(() -> {
          go.await();
          return engine.refund(request);
        }));
      }
      go.countDown();
      int fresh = 0;
      Long refundId = null;
      for (Future<RefundResult> answer : answers) {
        RefundResult result = answer.get();
        if (result instanceof RefundResult.KeyInFlight inFlight) {
          assertThat(inFlight.requestKey()).isEqualTo("refund-c");
          continue;
        }
        RefundResult.Refunded refunded = (RefundResult.Refunded) result;
        if (!refunded.replayed()) {
          fresh++;
        }
        if (refundId != null) {
          assertThat(refunded.eventId()).isEqualTo(refundId);
        }
        refundId = refunded.eventId();
      }
      assertThat(fresh).isEqualTo(1);
    }
    assertThat(used(user)).isEqualTo(15 - 3);
  }
}
