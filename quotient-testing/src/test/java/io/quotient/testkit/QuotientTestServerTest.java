package io.quotient.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.api.Plan;
import io.quotient.server.config.ConfigException;
import io.quotient.storage.Database;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotientTestServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Answer(int status, JsonNode body) {}

  private static Answer call(URI base, String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + key);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }
  }

  private static Answer consume(QuotientTestServer quotient, String key, String subject, String metric) throws Exception {
    return call(quotient.url(), "POST", "/v1/consume", key,
        "{\"subject\":\"" + subject + "\",\"metric\":\"" + metric + "\",\"amount\":1}");
  }

  @Test
  void plans_given_in_code_are_installed_and_each_key_has_its_role() throws Exception {
    try (QuotientTestServer quotient = QuotientTestServer.builder()
        .plan("pro", Map.of("exports", Plan.Limit.hard(2L, "month")))
        .defaultPlan("pro")
        .start()) {
      assertThat(consume(quotient, quotient.serviceKey(), "ann", "exports").body().get("allowed").asBoolean()).isTrue();
      assertThat(consume(quotient, quotient.serviceKey(), "ann", "exports").body().get("allowed").asBoolean()).isTrue();
      Answer third = consume(quotient, quotient.serviceKey(), "ann", "exports");
      assertThat(third.body().get("reason").asText()).isEqualTo("quota_exceeded");
      assertThat(third.body().at("/items/0/limit").asLong()).isEqualTo(2);

      // Only the plan given: the example plans are not installed beside it.
      Answer plans = call(quotient.url(), "GET", "/v1/plans", quotient.readKey(), null);
      assertThat(plans.status()).isEqualTo(200);
      assertThat(plans.body().get("plans").findValuesAsText("name")).containsExactly("pro");

      assertThat(consume(quotient, quotient.readKey(), "ann", "exports").status()).isEqualTo(403);
      assertThat(call(quotient.url(), "GET", "/v1/plans", quotient.serviceKey(), null).status()).isEqualTo(403);
      assertThat(call(quotient.url(), "POST", "/v1/keys", quotient.adminKey(), "{\"name\":\"more\",\"role\":\"read\"}").status())
          .isEqualTo(201);
      assertThat(call(quotient.url(), "POST", "/v1/keys", quotient.serviceKey(), "{\"name\":\"more\",\"role\":\"read\"}").status())
          .isEqualTo(403);
    }
  }

  @Test
  void plans_from_a_file_are_installed_and_plans_in_code_replace_theirs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plans.json");
    Files.writeString(file, """
        {"plans": {
          "team": {"limits": {"seats": {"limit": 5, "period": "total"}}},
          "pro": {"limits": {"exports": {"limit": 1, "period": "month"}}}
        }}""");
    try (QuotientTestServer quotient = QuotientTestServer.builder()
        .plansFile(file)
        .plan("pro", Map.of("exports", Plan.Limit.hard(7L, "day")))
        .start()) {
      Answer team = call(quotient.url(), "GET", "/v1/plans/team", quotient.readKey(), null);
      assertThat(team.status()).isEqualTo(200);
      assertThat(team.body().at("/limits/seats/limit").asLong()).isEqualTo(5);
      Answer pro = call(quotient.url(), "GET", "/v1/plans/pro", quotient.readKey(), null);
      assertThat(pro.body().at("/limits/exports/limit").asLong()).isEqualTo(7);
      assertThat(pro.body().at("/limits/exports/period").asText()).isEqualTo("day");
      assertThat(call(quotient.url(), "GET", "/v1/plans/free", quotient.readKey(), null).status()).isEqualTo(404);
    }
  }

  @Test
  void without_plans_the_example_plans_are_installed() throws Exception {
    try (QuotientTestServer quotient = QuotientTestServer.start()) {
      Answer plans = call(quotient.url(), "GET", "/v1/plans", quotient.readKey(), null);
      assertThat(plans.body().get("plans").findValuesAsText("name")).contains("free", "starter", "growth", "chat");
    }
  }

  @Test
  void an_invalid_plan_fails_the_start_naming_its_field() {
    assertThatThrownBy(() -> QuotientTestServer.builder()
        .plan("pro", Map.of("exports", Plan.Limit.hard(1L, "fortnight")))
        .start())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("period");
  }

  @Test
  void close_stops_the_embedded_postgres_and_deletes_its_data() throws Exception {
    QuotientTestServer quotient = QuotientTestServer.builder().embeddedDatabase().start();
    Path directory = quotient.databaseDirectory().toRealPath();
    int port = quotient.port();
    assertThat(directory).isDirectory();
    assertThat(postgresProcessesIn(directory)).isPositive();
    assertThat(consume(quotient, quotient.serviceKey(), "eve", "exports").status()).isEqualTo(200);

    quotient.close();
    quotient.close();

    assertThat(postgresProcessesIn(directory)).isZero();
    assertThat(directory).doesNotExist();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void a_server_left_open_is_closed_when_the_jvm_exits() throws Exception {
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Unclosed.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("DIRECTORY (\\S+)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    Path directory = Path.of(m.group(1));

    assertThat(directory).doesNotExist();
    assertThat(postgresProcessesIn(directory)).isZero();
  }

  @Test
  void close_drops_its_schema_on_an_external_database(@TempDir Path dir) throws Exception {
    // The PostgreSQL the tests are given, or else one of this test's own standing in for it.
    String given = System.getenv(QuotientTestServer.DATABASE_URL_VARIABLE);
    Database standIn = given == null || given.isBlank() ? Database.embedded(dir, 4) : null;
    try {
      String url = standIn == null ? given : standIn.connectionUrl();
      QuotientTestServer quotient = QuotientTestServer.builder().databaseUrl(url).start();
      String schema = quotient.databaseSchema();
      assertThat(consume(quotient, quotient.serviceKey(), "eve", "exports").status()).isEqualTo(200);
      Function<String, Boolean> exists = name -> schemaExists(url, name);
      assertThat(exists.apply(schema)).isTrue();

      quotient.close();

      assertThat(exists.apply(schema)).isFalse();
    } finally {
      if (standIn != null) {
        standIn.close();
      }
    }
  }

  private static boolean schemaExists(String url, String schema) {
    Database.JdbcUrl jdbc = Database.JdbcUrl.parse(url);
    try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
        PreparedStatement s = c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long postgresProcessesIn(Path directory) {
    String path = directory.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(line -> line.contains(path)).orElse(false))
        .count();
  }
}
