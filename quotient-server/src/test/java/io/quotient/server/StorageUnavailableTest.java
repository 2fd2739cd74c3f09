package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.api.Headers;
import io.quotient.storage.Database;
import io.quotient.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defect 12: the 503 {@code storage-unavailable} problem tells the truth. A storage failure can come
 * after the commit was sent, so the server cannot say that nothing was applied: the problem says
 * the outcome is unknown and to retry with the same {@code Idempotency-Key}, and such a retry,
 * once the database is back, is charged exactly once. The failure is real: the events table is
 * renamed away under the running server, so its write fails inside PostgreSQL.
 */
class StorageUnavailableTest {
  static Database database;
  static TestServer server;
  static String service;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    server = TestServer.start(database, Clock.systemUTC(), c -> c);
    service = server.createKey("service");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void the_problem_says_the_outcome_is_unknown_and_a_retry_with_the_same_key_is_charged_once() throws Exception {
    String consume = "{\"subject\":\"su-1\",\"metric\":\"ai_generations\",\"amount\":1}";
    Map<String, String> headers = Map.of("Content-Type", "application/json", Headers.IDEMPOTENCY_KEY, "su-key-1");
    sql("ALTER TABLE events RENAME TO events_away");
    TestServer.Response failed;
    try {
      failed = server.send("POST", "/v1/consume", service, consume, headers);
    } finally {
      sql("ALTER TABLE events_away RENAME TO events");
    }
    assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
    assertThat(failed.contentType()).startsWith(Headers.PROBLEM_JSON);
    assertThat(failed.problemType()).isEqualTo("storage-unavailable");
    String detail = failed.json().get("detail").asText();
    assertThat(detail).contains("outcome is unknown").contains("same Idempotency-Key").doesNotContain("nothing was applied");

    TestServer.Response retry = server.send("POST", "/v1/consume", service, consume, headers);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
    assertThat(retry.json().get("allowed").asBoolean()).isTrue();
    TestServer.Response again = server.send("POST", "/v1/consume", service, consume, headers);
    assertThat(again.headers().firstValue(Headers.IDEMPOTENT_REPLAYED)).contains("true");
    long used = server.get("/v1/subjects/su-1/usage", service).json().get("metrics").findValues("used").stream()
        .mapToLong(n -> n.asLong()).sum();
    assertThat(used).isEqualTo(1);
  }
}
