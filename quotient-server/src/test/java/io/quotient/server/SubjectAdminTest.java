package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing subjects with filters and cursors; deleting subjects and plans. */
class SubjectAdminTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.put("/v1/plans/sa-small", ADMIN_KEY, "{\"limits\":{\"exports\":{\"limit\":10,\"period\":\"month\"}}}");
    for (int i = 0; i < 25; i++) {
      String team = i % 2 == 0 ? "even" : "odd";
      server.put("/v1/subjects/sa-" + String.format("%02d", i), ADMIN_KEY,
          "{\"plan\":\"sa-small\",\"metadata\":{\"team\":\"" + team + "\"}}");
    }
    // sa-03 at 80%, sa-07 at 100%, sa-11 at 50%.
    consume("sa-03", 8);
    consume("sa-07", 10);
    consume("sa-11", 5);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void consume(String subject, int amount) {
    TestServer.Response r = server.post("/v1/consume", ADMIN_KEY,
        "{\"subject\":\"" + subject + "\",\"metric\":\"exports\",\"amount\":" + amount + "}");
    assertThat(r.json().path("allowed").asBoolean()).as(r.toString()).isTrue();
  }

  static List<String> all(String query) {
    List<String> ids = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 100; pages++) {
      JsonNode page = server.get("/v1/subjects?" + query + (after == null ? "" : "&after=" + after), ADMIN_KEY).json();
      page.path("subjects").forEach(s -> ids.add(s.path("id").asText()));
      if (page.path("nextCursor").isNull()) {
        return ids;
      }
      after = page.path("nextCursor").asText();
    }
    throw new AssertionError("the cursor never ended");
  }

  @Test
  void pages_follow_the_cursor_through_every_subject_once() {
    List<String> ids = all("plan=sa-small&limit=7");
    assertThat(ids).hasSize(25).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void filters_by_metadata_share_and_creation() {
    assertThat(all("plan=sa-small&metadata=team=odd&limit=100")).hasSize(12).allMatch(id -> Integer.parseInt(id.substring(3)) % 2 == 1);
    assertThat(all("plan=sa-small&atShare=0.8&limit=1")).containsExactly("sa-03", "sa-07");
    assertThat(all("plan=sa-small&atShare=1&limit=100")).containsExactly("sa-07");
    assertThat(all("plan=sa-small&atShare=0.5&metadata=team=odd")).containsExactly("sa-03", "sa-07", "sa-11");
    assertThat(all("plan=sa-small&createdSince=2999-01-01T00:00:00Z")).isEmpty();
  }

  @Test
  void bad_filters_name_their_parameter() {
    assertThat(server.get("/v1/subjects?metadata=team", ADMIN_KEY).field()).isEqualTo("metadata");
    assertThat(server.get("/v1/subjects?atShare=-1", ADMIN_KEY).field()).isEqualTo("atShare");
    assertThat(server.get("/v1/subjects?createdSince=yesterday", ADMIN_KEY).field()).isEqualTo("createdSince");
    assertThat(server.get("/v1/subjects?limit=0", ADMIN_KEY).status()).isEqualTo(422);
    assertThat(server.get("/v1/subjects?colour=red", ADMIN_KEY).problemType()).isEqualTo("unknown-field");
  }

  @Test
  void a_deleted_subject_is_gone_but_its_history_stays() {
    server.put("/v1/subjects/sa-gone", ADMIN_KEY, "{\"plan\":\"sa-small\"}");
    consume("sa-gone", 4);
    assertThat(server.delete("/v1/subjects/sa-gone", ADMIN_KEY).status()).isEqualTo(204);
    assertThat(server.get("/v1/subjects/sa-gone", ADMIN_KEY).status()).isEqualTo(404);
    assertThat(server.delete("/v1/subjects/sa-gone", ADMIN_KEY).status()).isEqualTo(404);
    JsonNode events = server.get("/v1/events?subject=sa-gone&limit=100", ADMIN_KEY).json().path("events");
    List<String> types = new ArrayList<>();
    events.forEach(e -> types.add(e.path("type").asText()));
    assertThat(types).containsExactly("subject_change", "consume", "subject_delete");
    // Coming back, it starts afresh (on the default plan): no usage carried over.
    server.put("/v1/subjects/sa-gone", ADMIN_KEY, "{\"plan\":\"sa-small\"}");
    assertThat(server.used("sa-gone", "exports", ADMIN_KEY)).isZero();
  }

  @Test
  void a_plan_with_subjects_cannot_be_deleted_until_they_leave() {
    server.put("/v1/plans/sa-doomed", ADMIN_KEY, "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"month\"}}}");
    server.put("/v1/subjects/sa-on-doomed", ADMIN_KEY, "{\"plan\":\"sa-doomed\"}");
    TestServer.Response refused = server.delete("/v1/plans/sa-doomed", ADMIN_KEY);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.problemType()).isEqualTo("plan-in-use");
    assertThat(server.get("/v1/plans/sa-doomed", ADMIN_KEY).status()).isEqualTo(200);

    server.put("/v1/subjects/sa-on-doomed", ADMIN_KEY, "{\"plan\":\"sa-small\"}");
    assertThat(server.delete("/v1/plans/sa-doomed", ADMIN_KEY).status()).isEqualTo(204);
    assertThat(server.get("/v1/plans/sa-doomed", ADMIN_KEY).status()).isEqualTo(404);
    assertThat(server.delete("/v1/plans/sa-doomed", ADMIN_KEY).status()).isEqualTo(404);
    assertThat(server.get("/v1/events?type=plan_delete", ADMIN_KEY).json().path("events")).hasSize(1);
  }

  @Test
  void only_admins_delete() {
    String read = server.createKey("read");
    assertThat(server.delete("/v1/subjects/sa-00", read).status()).isEqualTo(403);
    assertThat(server.delete("/v1/plans/sa-small", read).status()).isEqualTo(403);
    assertThat(server.get("/v1/subjects", read).status()).isEqualTo(200);
  }
}
