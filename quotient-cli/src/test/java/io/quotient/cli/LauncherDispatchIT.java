package io.quotient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.testkit.QuotientTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/quotient} as an operator runs it: every command but {@code serve} and
 * {@code admin-key} goes to the CLI jar (those two stay the server's: {@code LauncherIT},
 * {@code AdminKeyIT}), with its exit codes and its streams.
 */
class LauncherDispatchIT {
  @TempDir Path home;

  record Result(int exit, String out, String err) {}

  Result launch(List<String> args) throws IOException, InterruptedException {
    Path root = Path.of(System.getenv("QUOTIENT_REPO_ROOT")).toRealPath();
    List<String> command = new java.util.ArrayList<>();
    command.add(root.resolve("bin/quotient").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("HOME", home.toString());
    builder.environment().remove("QUOTIENT_URL");
    builder.environment().remove("QUOTIENT_API_KEY");
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void commands_other_than_serve_run_the_cli() throws Exception {
    Result version = launch(List.of("--version"));
    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out()).startsWith("quotient CLI");

    Result nothing = launch(List.of());
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).contains("Usage: quotient");

    try (QuotientTestServer server = QuotientTestServer.start()) {
      Result plans = launch(List.of("plans", "list", "--url", server.url().toString(), "--api-key", server.adminKey(), "-o", "csv"));
      assertThat(plans.exit()).as(plans.err()).isZero();
      assertThat(plans.out()).startsWith("plan,metric,limit,period,enforcement,overagePrice,rate\r\n");
      assertThat(plans.err()).isEmpty();

      Result missing = launch(List.of("subjects", "get", "nobody", "--url", server.url().toString(), "--api-key", server.adminKey()));
      assertThat(missing.exit()).isEqualTo(4);
      assertThat(missing.out()).isEmpty();
      assertThat(missing.err()).contains("quotient: Not found");
    }
  }
}
