package io.quotient.engine;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One database and one engine on a hand-moved clock, shared by a test class. */
final class EngineFixture implements AutoCloseable {
  final Database database;
  final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
  final Quotient quotient;
  private final AtomicInteger names = new AtomicInteger();

  EngineFixture(String defaultPlan) {
    database = TestDatabase.create(12);
    quotient = Quotient.builder(database.dataSource()).clock(clock).defaultPlan(defaultPlan).sweepInterval(null).build();
  }

  /** A name no other test of the class uses. */
  String unique(String prefix) {
    return prefix + "-" + names.incrementAndGet();
  }

  /** Creates a plan with a unique name. */
  Plan plan(Map<String, Limit> limits) {
    return quotient.putPlan(new Plan(unique("plan"), limits));
  }

  /** Creates a subject on {@code plan}, anchored now. */
  String subjectOn(Plan plan) {
    return subjectOn(plan, clock.instant());
  }

  String subjectOn(Plan plan, Instant anchor) {
    String id = unique("user");
    quotient.putSubject(new Subject(id, plan.name(), anchor, Map.of()));
    return id;
  }

  Decision consume(String subject, String metric, long amount) {
    return (Decision) quotient.consume(ConsumeRequest.of(subject, metric, amount));
  }

  ConsumeResult consume(ConsumeRequest request) {
    return quotient.consume(request);
  }

  @Override
  public void close() {
    quotient.close();
    database.close();
  }
}
