package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import io.quotient.testing.StalledListeners;
import io.quotient.testing.TcpProxy;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 10: the subject cache trusts LISTEN/NOTIFY only while a keep-alive round trip on
 * the listening connection shows it alive. Engine A reaches the database through a proxy that
 * stalls A's listening connection (open, silent: half-open); engine B moves a subject to a plan
 * without the metric. A must stop serving the cached row and see the change.
 */
class ListenerLivenessTest {
  private static final long BOUND_SECONDS = 20;
  private static final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  private static Database direct;
  private static TcpProxy proxy;
  private static Database proxied;
  private static Quotient a;
  private static Quotient b;

  @BeforeAll
  static void start() {
    direct = TestDatabase.create(6);
    proxy = StalledListeners.proxyFor(direct);
    proxied = StalledListeners.through(proxy, direct, 6);
    a = Quotient.builder(proxied.dataSource()).clock(clock).sweepInterval(null).build();
    b = Quotient.builder(direct.dataSource()).clock(clock).sweepInterval(null).build();
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    proxied.close();
    proxy.close();
    direct.close();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Eventually.await(what, Duration.ofSeconds(BOUND_SECONDS), condition);
  }

  @Test
  void a_stalled_listener_stops_the_subject_cache_being_trusted() throws Exception {
    Plan with = b.putPlan(new Plan("with-ai", Map.of("ai", Limit.of(1_000_000, Period.MONTH))));
    Plan without = b.putPlan(new Plan("without-ai", Map.of("other", Limit.of(10, Period.MONTH))));
    b.putSubject(new Subject("moved", with.name(), clock.instant(), Map.of()));
    await("A listens", a::listening);
    assertThat(((Decision) a.consume(ConsumeRequest.of("moved", "ai", 1))).allowed()).isTrue(); // cached in A now

    assertThat(StalledListeners.stall(proxy, direct)).isEqualTo(1);
    b.putSubject(new Subject("moved", without.name(), clock.instant(), Map.of())); // A cannot hear this

    await("A sees the subject's new plan", () ->
        ((Decision) a.consume(ConsumeRequest.of("moved", "ai", 1))).reason() == DenialReason.METRIC_NOT_IN_PLAN);
  }
}
