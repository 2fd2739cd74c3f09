package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.monitor.webhook.Receiver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: a server killed with SIGKILL while it delivers webhooks loses nothing. A slow receiver
 * keeps deliveries in flight; the JVM is killed in the middle; after a restart on the same data
 * directory every message arrives (at least once: the one in flight may come twice, with the same
 * {@code webhook-id}), signed, first seen in feed order.
 */
class WebhookKillIT {
  private static final int CONSUMES = 40;

  @TempDir Path dir;

  @Test
  void a_kill_during_delivery_loses_no_message() throws Exception {
    Path dataDir = dir.resolve("data");
    int port = LaunchedServer.freePort();
    Map<String, String> settings = new HashMap<>(LaunchedServer.loadSettings(dir));
    settings.put("QUOTIENT_WEBHOOKS_ALLOW_PRIVATE", "true");
    try (Receiver receiver = new Receiver()) {
      receiver.delay(150);
      String secret;
      String adminKey;
      try (LaunchedServer victim = LaunchedServer.launch(dir, dataDir, port, settings, false, "serve")) {
        assertThat(victim.awaitReady(Duration.ofMinutes(3))).as(victim.output()).isTrue();
        adminKey = victim.printedAdminKey().orElseThrow();
        TestServer.Response created = victim.call("POST", "/v1/webhooks", adminKey,
            "{\"url\":\"" + receiver.url() + "\",\"format\":\"standard\",\"types\":[\"quota.consumed\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        secret = created.json().get("secret").asText();
        String serviceKey = victim.createKey(adminKey, "service");
        for (int i = 0; i < CONSUMES; i++) {
          TestServer.Response r = victim.call("POST", "/v1/consume", serviceKey, "{\"subject\":\"kill-1\",\"metric\":\"ai\",\"amount\":1}");
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (receiver.requests().size() < 5 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(receiver.requests().size()).as("deliveries under way before the kill").isBetween(5, CONSUMES - 1);
        victim.process.destroyForcibly(); // SIGKILL, most likely while a delivery waits for its answer
        assertThat(victim.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      int beforeRestart = receiver.requests().size();
      assertThat(beforeRestart).as("the kill came before every message was out").isLessThan(CONSUMES);
      receiver.delay(0);
      try (LaunchedServer next = LaunchedServer.launch(dir, dataDir, port, settings, false, "serve")) {
        assertThat(next.awaitReady(Duration.ofMinutes(3))).as(next.output()).isTrue();
        JsonNode events = next.call("GET", "/v1/events?type=consume&subject=kill-1&limit=1000", adminKey, null).json().get("events");
        List<String> feed = new ArrayList<>();
        events.forEach(e -> feed.add(e.get("id").asText()));
        assertThat(feed).hasSize(CONSUMES);
        // The in-flight endpoint's lease (timeout + 5 s) runs out before the new instance takes it over.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (distinct(receiver).size() < CONSUMES && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(List.copyOf(distinct(receiver))).containsExactlyElementsOf(feed);
        for (Receiver.Request request : receiver.requests()) {
          assertThat(Receiver.verify(request, secret, Clock.systemUTC())).as(request.id()).isTrue();
        }
        System.out.printf("webhooks across kill -9: %d requests before the kill, %d after, %d repeats%n", beforeRestart,
            receiver.requests().size() - beforeRestart, receiver.requests().size() - CONSUMES);
      }
    }
  }

  private static Set<String> distinct(Receiver receiver) {
    Set<String> ids = new LinkedHashSet<>();
    for (Receiver.Request request : receiver.requests()) {
      ids.add(request.id());
    }
    return ids;
  }
}
