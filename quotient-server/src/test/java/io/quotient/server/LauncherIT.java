package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/quotient serve} itself, as a user runs it: on a fresh data directory with the
 * embedded PostgreSQL it prints an admin key once, installs the example plans, answers
 * {@code /health/ready}, and on SIGTERM stops cleanly (embedded PostgreSQL included).
 */
class LauncherIT {
  @TempDir Path dir;

  @Test
  void serve_starts_on_a_fresh_data_directory_and_stops_on_sigterm() throws Exception {
    Path root = Path.of(System.getenv("QUOTIENT_REPO_ROOT")).toRealPath();
    Path dataDir = dir.resolve("data");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/quotient").toString(), "serve")
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile());
    Map<String, String> env = builder.environment();
    for (String name : List.of("QUOTIENT_DATABASE_URL", "QUOTIENT_CONFIG", "QUOTIENT_PLANS_FILE", "QUOTIENT_BOOTSTRAP_ADMIN_KEY")) {
      env.remove(name);
    }
    env.put("QUOTIENT_PORT", Integer.toString(port));
    env.put("QUOTIENT_DATA_DIR", dataDir.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      int status = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          status = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200) {
            break;
          }
        } catch (ConnectException | java.net.http.HttpTimeoutException notYet) {
          // Still starting: ask again.
        }
        process.waitFor(200, TimeUnit.MILLISECONDS);
      }
      assertThat(status).as(output()).isEqualTo(200);

      Matcher key = Pattern.compile("QUOTIENT_ADMIN_KEY=(qk_\\S+)").matcher(Files.readString(dir.resolve("stdout.txt")));
      assertThat(key.find()).as(output()).isTrue();
      HttpResponse<String> plans = http.send(HttpRequest.newBuilder(base.resolve("/v1/plans"))
          .header("Authorization", "Bearer " + key.group(1)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(plans.statusCode()).isEqualTo(200);
      List<String> names = new ArrayList<>();
      JsonNode body = new ObjectMapper().readTree(plans.body());
      body.get("plans").forEach(p -> names.add(p.get("name").asText()));
      assertThat(names).containsExactlyInAnyOrder("free", "starter", "growth", "chat");

      process.destroy(); // SIGTERM: the launcher execs java, so this reaches the JVM.
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(output()).isTrue();
      assertThat(process.exitValue()).as(output()).isIn(0, 143);
      assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("Quotient stopped");
      assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
    } finally {
      process.destroyForcibly();
    }
  }

  private String output() throws IOException {
    return "stdout:\n" + Files.readString(dir.resolve("stdout.txt")) + "\nstderr:\n" + Files.readString(dir.resolve("stderr.txt"));
  }
}
