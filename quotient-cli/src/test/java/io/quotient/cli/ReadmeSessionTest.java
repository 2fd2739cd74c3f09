package io.quotient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.api.Plan;
import io.quotient.client.QuotientClient;
import io.quotient.testkit.QuotientTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's CLI session, run as written on a terminal (tables) against a server on a clock at
 * 30 November 2026 after a month of traffic: each {@code $ bin/quotient …} line is a command, the
 * lines after it are what it prints on stdout.
 */
class ReadmeSessionTest {
  @TempDir Path home;

  @Test
  void the_readme_session_prints_what_it_shows() throws IOException, InterruptedException {
    Path readme = Path.of(System.getenv("QUOTIENT_REPO_ROOT")).resolve("README.md");
    String doc = Files.readString(readme, StandardCharsets.UTF_8);
    String block = doc.substring(doc.indexOf("<!-- cli-session:start -->"), doc.indexOf("<!-- cli-session:end -->"));
    block = block.substring(block.indexOf("```sh\n") + 6, block.lastIndexOf("```"));

    try (QuotientTestServer server = QuotientTestServer.builder()
        .plan("pro", Map.of("api_calls", new Plan.Limit(1000L, "month", "soft", new Plan.Price("0.002", "EUR"), null)))
        .defaultPlan("pro")
        .clock(Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC))
        .start();
        QuotientClient service = QuotientClient.builder().url(server.url()).apiKey(server.serviceKey()).build()) {
      service.consume("acme", "api_calls", 1500);
      service.consume("globex", "api_calls", 400);
      // acme's jump past 80, 95 and 100 % is an alert event of the monitor's, which takes an event id
      // when the monitor gets to it: wait for it, so that the session's event ids are always the same.
      try (QuotientClient admin = QuotientClient.builder().url(server.url()).apiKey(server.adminKey()).build()) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (admin.alerts(io.quotient.client.AlertQuery.all().ofSubject("acme")).alerts().isEmpty()) {
          assertThat(System.nanoTime()).as("waiting for acme's alert").isLessThan(deadline);
          Thread.sleep(20);
        }
      }
      Cli cli = new Cli(home).env("QUOTIENT_URL", server.url().toString()).env("QUOTIENT_API_KEY", server.adminKey())
          .terminal(true);
      List<String> commands = new ArrayList<>();
      List<StringBuilder> shown = new ArrayList<>();
      for (String line : block.split("\n")) {
        if (line.startsWith("$ ")) {
          commands.add(line.substring(2));
          shown.add(new StringBuilder());
        } else if (!commands.isEmpty()) {
          shown.getLast().append(line).append('\n');
        }
      }
      StringBuilder actualBlock = new StringBuilder();
      for (int i = 0; i < commands.size(); i++) {
        String command = commands.get(i);
        actualBlock.append("$ ").append(command).append('\n');
        if (!command.startsWith("bin/quotient ")) {
          continue; // export … and the like: set up above
        }
        String[] args = command.substring("bin/quotient ".length()).split(" (?=(?:[^']*'[^']*')*[^']*$)");
        args = Arrays.stream(args).map(a -> a.replace("'", "")).toArray(String[]::new);
        Cli.Run run = cli.run(args);
        assertThat(run.exit()).as(command + "\n" + run).isZero();
        String out = run.out().replace("\r\n", "\n");
        actualBlock.append(out);
        if (System.getenv("QUOTIENT_UPDATE_GOLDEN") == null) {
          assertThat(out).as(command).isEqualTo(shown.get(i).toString());
        }
      }
      if (System.getenv("QUOTIENT_UPDATE_GOLDEN") != null) {
        System.out.println("README SESSION:\n" + actualBlock);
      }
    }
  }
}
