package io.quotient.monitor.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.message.Messages;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.subject.Subject;
import io.quotient.testing.Eventually;
import io.quotient.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two instances (engine, monitor, webhooks with four workers each) on one database while 16
 * threads consume through both: every endpoint gets every message of its types exactly once, in
 * feed order.
 */
class TwoInstancesTest {
  @Test
  void two_instances_deliver_each_message_once_in_feed_order() throws Exception {
    Clock clock = Clock.systemUTC();
    Webhooks.Settings settings = Webhooks.Settings.defaults().withAllowPrivate(true).withWorkers(4, Duration.ofMillis(20));
    try (Database database = TestDatabase.create(24);
        Receiver consumed = new Receiver();
        Receiver denied = new Receiver();
        Receiver both = new Receiver()) {
      Quotient a = Quotient.builder(database.dataSource()).clock(clock).build();
      Quotient b = Quotient.builder(database.dataSource()).clock(clock).build();
      Webhooks webhooksA = new Webhooks(a, database.dataSource(), clock, settings, outcome -> {});
      Webhooks webhooksB = new Webhooks(b, database.dataSource(), clock, settings, outcome -> {});
      Monitor monitorA = Monitor.builder(a, database).clock(clock).pollInterval(Duration.ofMillis(20)).projection(webhooksA.projection()).start();
      Monitor monitorB = Monitor.builder(b, database).clock(clock).pollInterval(Duration.ofMillis(20)).projection(webhooksB.projection()).start();
      webhooksA.start();
      webhooksB.start();
      try {
        a.putPlan(new Plan("small", Map.of("ai", Limit.of(20, Period.MONTH))));
        webhooksA.create(consumed.url(), Format.STANDARD, List.of("quota.consumed"));
        webhooksB.create(denied.url(), Format.STANDARD, List.of("quota.denied"));
        webhooksA.create(both.url(), Format.STANDARD, List.of("quota.consumed", "quota.denied"));
        int subjects = 10;
        for (int s = 0; s < subjects; s++) {
          a.putSubject(new Subject("s" + s, "small", clock.instant(), Map.of()));
        }
        int threads = 16;
        int perThread = 25; // 400 consumes for 200 units: about half are denied
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Quotient engine = t % 2 == 0 ? a : b;
          int thread = t;
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
              engine.consume(ConsumeRequest.of("s" + ((thread + i) % subjects), "ai", 1));
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get();
        }
        pool.shutdown();
        List<String> consumedIds = new ArrayList<>();
        List<String> deniedIds = new ArrayList<>();
        List<String> allIds = new ArrayList<>();
        FeedCursor cursor = FeedCursor.beginning();
        while (true) {
          EventPage page = a.events(new EventQuery(null, null, cursor, 1000));
          for (Event event : page.events()) {
            String type = Messages.typeOf(event).orElse("");
            if (type.equals("quota.consumed")) {
              consumedIds.add(Long.toString(event.id()));
              allIds.add(Long.toString(event.id()));
            } else if (type.equals("quota.denied")) {
              deniedIds.add(Long.toString(event.id()));
              allIds.add(Long.toString(event.id()));
            }
          }
          if (page.events().size() < 1000) {
            break;
          }
          cursor = page.nextCursor();
        }
        assertThat(consumedIds).hasSize(200);
        assertThat(deniedIds).hasSize(200);
        long consumedAt = System.nanoTime();
        Eventually.await("every message delivered", Duration.ofSeconds(60),
            () -> consumed.requests().size() >= 200 && denied.requests().size() >= 200 && both.requests().size() >= 400);
        System.out.printf("two instances: 800 webhook deliveries to 3 endpoints done %d ms after the last consume%n",
            (System.nanoTime() - consumedAt) / 1_000_000);
        Thread.sleep(300); // room for a repeat to show
        assertThat(consumed.requests()).extracting(Receiver.Request::id).containsExactlyElementsOf(consumedIds);
        assertThat(denied.requests()).extracting(Receiver.Request::id).containsExactlyElementsOf(deniedIds);
        assertThat(both.requests()).extracting(Receiver.Request::id).containsExactlyElementsOf(allIds);
        assertThat(webhooksA.backlog().pending()).isZero();
      } finally {
        webhooksA.close();
        webhooksB.close();
        monitorA.close();
        monitorB.close();
        a.close();
        b.close();
      }
    }
  }
}
