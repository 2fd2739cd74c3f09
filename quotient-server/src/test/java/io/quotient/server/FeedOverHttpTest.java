package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.feed.FeedCursor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client follows {@code GET /v1/events?after=} with each answer's {@code nextCursor} while
 * other clients consume over HTTP: it sees every decision it was told of exactly once, in a
 * cursor order that only moves forward.
 */
class FeedOverHttpTest {
  private static final int CALLERS = 12;
  private static final int CONSUMES_PER_CALLER = 40;

  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_follower_of_next_cursor_sees_every_decision_once_in_order() throws Exception {
    List<String> decided = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean consuming = new AtomicBoolean(true);
    List<String> followed = new ArrayList<>();
    List<FeedCursor> cursors = new ArrayList<>();
    Thread follower =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    String after = "";
                    while (true) {
                      TestServer.Response r = server.get("/v1/events?type=consume&limit=25&after=" + after, ADMIN_KEY);
                      assertThat(r.status()).as(r.toString()).isEqualTo(200);
                      JsonNode page = r.json();
                      for (JsonNode event : page.get("events")) {
                        followed.add(event.get("id").asText());
                        cursors.add(FeedCursor.parse(event.get("cursor").asText()));
                      }
                      after = page.get("nextCursor").asText();
                      if (page.get("events").isEmpty()) {
                        if (!consuming.get() && followed.size() >= decided.size()) {
                          return;
                        }
                        Thread.sleep(2);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < CALLERS; t++) {
      Random random = new Random(t);
      callers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = 0; i < CONSUMES_PER_CALLER; i++) {
                        String body =
                            "{\"subject\":\"follow-" + random.nextInt(50) + "\",\"metric\":\"ai_generations\",\"amount\":1}";
                        TestServer.Response r = server.post("/v1/consume", service, body);
                        assertThat(r.status()).as(r.toString()).isEqualTo(200);
                        decided.add(r.json().get("eventId").asText());
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread caller : callers) {
      caller.join();
    }
    consuming.set(false);
    follower.join(TimeUnit.SECONDS.toMillis(120));
    assertThat(follower.isAlive()).as("the follower caught up").isFalse();
    assertThat(failures).isEmpty();
    assertThat(decided).hasSize(CALLERS * CONSUMES_PER_CALLER);
    assertThat(followed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(decided);
    assertThat(cursors).isSortedAccordingTo(FeedCursor::compareTo).doesNotHaveDuplicates();
  }

  @Test
  void a_cursor_that_the_api_did_not_give_out_is_refused_naming_after() {
    TestServer.Response r = server.get("/v1/events?after=12", ADMIN_KEY);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.problemType()).isEqualTo("invalid-field");
    assertThat(r.field()).isEqualTo("after");
  }
}
