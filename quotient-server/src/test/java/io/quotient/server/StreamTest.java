package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/stream}: live messages with the feed cursor as id, resumed with Last-Event-ID
 * without a gap or a repeat, filtered by subject and type, limited to a subject token's own
 * subject, and a slow client closed with a last message saying so.
 */
class StreamTest {
  static TestServer server;
  static String service;
  static String read;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
    read = server.createKey("read");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static SseClient open(String path, String key, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of("Authorization: Bearer " + key));
    all.addAll(List.of(headers));
    SseClient client = new SseClient(server.server.port(), path, all, 0);
    assertThat(client.status).as(client.head).isEqualTo(200);
    assertThat(client.contentType).startsWith("text/event-stream");
    return client;
  }

  /** Consumes one unit for {@code subject} over HTTP; returns the decision's event id. */
  private static String consume(String subject) {
    TestServer.Response r = server.post("/v1/consume", service, "{\"subject\":\"" + subject + "\",\"metric\":\"messages\",\"amount\":1}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("eventId").asText();
  }

  private static void subject(String id) {
    assertThat(server.put("/v1/subjects/" + id, ADMIN_KEY, "{\"plan\":\"chat\"}").status()).isEqualTo(200);
  }

  @Test
  void a_client_that_disconnects_and_resumes_with_last_event_id_misses_nothing_and_sees_nothing_twice() throws Exception {
    subject("sse-alice");
    List<String> consumed = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    String last;
    try (SseClient first = open("/v1/stream?subject=sse-alice&types=quota.consumed", read)) {
      for (int i = 0; i < 10; i++) {
        consumed.add(consume("sse-alice"));
      }
      for (int i = 0; i < 4; i++) {
        SseClient.Message m = first.next();
        assertThat(m.event()).isEqualTo("quota.consumed");
        JsonNode body = TestServer.JSON.readTree(m.data());
        assertThat(body.get("type").asText()).isEqualTo("quota.consumed");
        assertThat(body.get("data").get("subject").asText()).isEqualTo("sse-alice");
        assertThat(body.fieldNames()).toIterable().containsExactly("id", "type", "timestamp", "data");
        seen.add(body.get("id").asText());
        assertThat(ids.add(m.id())).isTrue();
      }
      last = new ArrayList<>(ids).get(ids.size() - 1);
    } // hangs up after 4 of 10: the other 6, and what comes while it is away, must come on resume
    for (int i = 0; i < 5; i++) {
      consumed.add(consume("sse-alice"));
    }
    try (SseClient second = open("/v1/stream?subject=sse-alice&types=quota.consumed", read, "Last-Event-ID: " + last)) {
      while (seen.size() < consumed.size()) {
        SseClient.Message m = second.next();
        seen.add(TestServer.JSON.readTree(m.data()).get("id").asText());
        assertThat(ids.add(m.id())).as("a repeated id").isTrue();
      }
      consumed.add(consume("sse-alice")); // live after the catch-up
      seen.add(TestServer.JSON.readTree(second.next().data()).get("id").asText());
    }
    assertThat(seen).containsExactlyElementsOf(consumed);
    // ?after= resumes the same way.
    try (SseClient third = open("/v1/stream?subject=sse-alice&types=quota.consumed&after=" + last, read)) {
      assertThat(TestServer.JSON.readTree(third.next().data()).get("id").asText()).isEqualTo(consumed.get(4));
    }
  }

  @Test
  void a_subject_token_sees_only_its_own_subject_and_filters_are_checked() throws Exception {
    subject("sse-bob");
    subject("sse-carol");
    String token = server.post("/v1/subjects/sse-bob/tokens", ADMIN_KEY, "{}").json().get("token").asText();
    try (SseClient bob = open("/v1/stream", token)) {
      consume("sse-carol");
      String mine = consume("sse-bob");
      SseClient.Message m = bob.next();
      assertThat(m.event()).isEqualTo("quota.consumed");
      assertThat(TestServer.JSON.readTree(m.data()).get("id").asText()).isEqualTo(mine);
    }
    assertThat(server.get("/v1/stream?subject=sse-carol", token).problemType()).isEqualTo("forbidden");
    TestServer.Response badType = server.get("/v1/stream?types=quota.consumed,nope", read);
    assertThat(badType.status()).isEqualTo(422);
    assertThat(badType.field()).isEqualTo("types");
    TestServer.Response badCursor = server.send("GET", "/v1/stream", read, null, java.util.Map.of("Last-Event-ID", "x"));
    assertThat(badCursor.status()).isEqualTo(422);
    assertThat(badCursor.field()).isEqualTo("Last-Event-ID");
    assertThat(server.get("/v1/stream?colour=red", read).problemType()).isEqualTo("unknown-field");
    assertThat(server.get("/v1/stream", service).problemType()).isEqualTo("forbidden");
    assertThat(server.get("/v1/stream", null).problemType()).isEqualTo("unauthorized");
  }

  @Test
  void a_client_that_reads_too_slowly_is_closed_with_a_last_message_and_resumes_from_it() throws Exception {
    subject("sse-slow");
    SseClient slow = new SseClient(server.server.port(), "/v1/stream?subject=sse-slow",
        List.of("Authorization: Bearer " + read), 4096);
    assertThat(slow.status).isEqualTo(200);
    // Far more messages than the client's buffer (1000) and the sockets hold, while it reads nothing.
    StringBuilder batch = new StringBuilder("{\"requests\":[");
    for (int i = 0; i < 1000; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"subject\":\"sse-slow\",\"metric\":\"messages\",\"amount\":1}");
    }
    batch.append("]}");
    int sent = 0;
    for (int round = 0; round < 8; round++) {
      TestServer.Response r = server.post("/v1/consume/batch", service, batch.toString());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      sent += 1000;
    }
    // Writers were not held back: every batch was answered while the client read nothing.
    assertThat(sent).isEqualTo(8000);
    Thread.sleep(1500); // the stream's feed subscription catches up with the commits and overflows
    List<SseClient.Message> got = new ArrayList<>();
    SseClient.Message last = null;
    for (SseClient.Message m = slow.next(); m != null; m = slow.next()) {
      got.add(m);
      last = m;
    }
    slow.close();
    assertThat(last).isNotNull();
    assertThat(last.event()).isEqualTo("stream.overflow");
    JsonNode overflow = TestServer.JSON.readTree(last.data());
    String resumeAfter = overflow.get("resumeAfter").asText();
    List<SseClient.Message> messages = got.subList(0, got.size() - 1);
    assertThat(messages.size()).isLessThan(8000);
    if (!messages.isEmpty()) {
      assertThat(resumeAfter).isEqualTo(messages.get(messages.size() - 1).id());
    }
    // Resuming from resumeAfter gives the rest: every one of the 8000 decisions (plus the subject's creation), once.
    Set<String> ids = new LinkedHashSet<>();
    messages.forEach(m -> ids.add(m.id()));
    int consumed = (int) messages.stream().filter(m -> "quota.consumed".equals(m.event()) || "quota.denied".equals(m.event())).count();
    try (SseClient resumed = open("/v1/stream?subject=sse-slow&types=quota.consumed,quota.denied", read, "Last-Event-ID: " + resumeAfter)) {
      while (consumed < 8000) {
        SseClient.Message m = resumed.next();
        assertThat(ids.add(m.id())).as("a repeated id").isTrue();
        consumed++;
      }
    }
    assertThat(consumed).isEqualTo(8000);
  }

  @Test
  void a_stopping_server_ends_its_streams_and_stops_in_order() throws Exception {
    TestServer own = TestServer.start();
    SseClient stream = new SseClient(own.server.port(), "/v1/stream", List.of("Authorization: Bearer " + ADMIN_KEY), 0);
    assertThat(stream.status).isEqualTo(200);
    long began = System.nanoTime();
    Thread stopper = Thread.ofPlatform().start(own::close);
    assertThat(stream.next()).as("the stream ends").isNull();
    stopper.join(15_000);
    assertThat(stopper.isAlive()).isFalse();
    // Well within the drain's bound (4 s): the stream noticed the stop, the drain did not time out on it.
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - began)).isLessThan(java.time.Duration.ofSeconds(4));
    stream.close();
  }
}
