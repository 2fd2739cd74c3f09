package io.quotient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.api.Plan;
import io.quotient.testkit.QuotientTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against a real server (the test kit's, on a clock fixed at 15 November 2026), with
 * golden outputs for table, JSON and CSV under {@code src/test/resources/golden}.
 */
class CommandsTest {
  static QuotientTestServer server;
  @TempDir static Path home;
  static Cli cli;
  static io.quotient.client.QuotientClient service;

  @BeforeAll
  static void start() {
    server = QuotientTestServer.builder()
        .plan("gold", Map.of(
            "calls", new Plan.Limit(10L, "month", "soft", new Plan.Price("0.015", "EUR"), null),
            "seats", Plan.Limit.hard(3L, "total")))
        .plan("tin", Map.of("calls", Plan.Limit.hard(1L, "day")))
        .defaultPlan("gold")
        .clock(Clock.fixed(Instant.parse("2026-11-15T12:00:00Z"), ZoneOffset.UTC))
        .start();
    service = io.quotient.client.QuotientClient.builder().url(server.url()).apiKey(server.serviceKey()).build();
    cli = new Cli(home).env("QUOTIENT_URL", server.url().toString()).env("QUOTIENT_API_KEY", server.adminKey());
    ok(cli.run("subjects", "set-plan", "alice", "gold"));
    ok(cli.run("subjects", "set-plan", "bob", "gold"));
    ok(cli.run("grants", "add", "bob", "--metric", "calls", "--amount", "2", "--reason", "support, with a comma"));
    for (String subject : new String[] {"alice", "bob"}) {
      for (int i = 0; i < (subject.equals("alice") ? 17 : 3); i++) {
        service.consume(subject, "calls", 1);
      }
    }
  }

  @AfterAll
  static void stop() {
    service.close();
    server.close();
  }

  static Cli.Run ok(Cli.Run run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }

  static void golden(String name, String actual) throws IOException {
    Path file = Path.of("src/test/resources/golden", name);
    if (System.getenv("QUOTIENT_UPDATE_GOLDEN") != null) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).as(name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void usage_as_table_json_and_csv() throws IOException {
    golden("usage.table", ok(cli.run("usage", "alice", "-o", "table")).out());
    golden("usage.json", ok(cli.run("usage", "alice", "-o", "json")).out());
    golden("usage.csv", ok(cli.run("usage", "alice", "-o", "csv")).out());
  }

  @Test
  void plans_as_table_json_and_csv() throws IOException {
    golden("plans-get.table", ok(cli.run("plans", "get", "gold", "-o", "table")).out());
    golden("plans-get.json", ok(cli.run("plans", "get", "gold", "-o", "json")).out());
    golden("plans-get.csv", ok(cli.run("plans", "get", "gold", "-o", "csv")).out());
  }

  @Test
  void month_end_as_table_json_and_csv() throws IOException {
    Cli.Run table = ok(cli.run("report", "overage", "--period", "2026-11", "-o", "table"));
    golden("overage.table", table.out());
    assertThat(table.err()).contains("total EUR 0.11 (final 0.00, provisional 0.11)");
    golden("overage.csv", ok(cli.run("report", "overage", "--period", "2026-11", "-o", "csv")).out());
    JsonNode json = Output.JSON.readTree(ok(cli.run("report", "overage", "--period", "2026-11", "-o", "json")).out());
    assertThat(json.path("lines").get(0).path("amount").asText()).isEqualTo("0.11");
    assertThat(json.path("totals").get(0).path("currency").asText()).isEqualTo("EUR");

    // Other tests add subjects: the goldens keep alice's and bob's rows (and the header).
    String csv = ok(cli.run("export", "usage", "--period", "2026-11", "-o", "csv")).out();
    golden("export.csv", String.join("", csv.split("(?<=\r\n)")).lines()
        .filter(l -> l.startsWith("subject,") || l.startsWith("alice,") || l.startsWith("bob,"))
        .map(l -> l + "\r\n").reduce("", String::concat));
    assertThat(csv).endsWith("\r\n");
    JsonNode export = Output.JSON.readTree(ok(cli.run("export", "usage", "--period", "2026-11", "-o", "json")).out());
    com.fasterxml.jackson.databind.node.ArrayNode kept = Output.JSON.createArrayNode();
    export.path("rows").forEach(r -> {
      if (r.path("subject").asText().matches("alice|bob")) {
        kept.add(r);
      }
    });
    golden("export.json", export.path("period").asText() + "\n" + kept.toPrettyString() + "\n");
  }

  @Test
  void subjects_grants_and_overrides() throws IOException {
    golden("grants.csv", ok(cli.run("grants", "list", "bob", "-o", "csv")).out().replaceAll("(?m)^[0-9]+,", "ID,"));
    Cli.Run list = ok(cli.run("subjects", "list", "--plan", "gold", "--limit", "1", "-o", "csv"));
    assertThat(list.out()).startsWith("id,plan,billingAnchor,metadata,overrides\r\nalice,gold,");
    assertThat(list.err()).contains("more: --after alice");
    java.util.List<String> all = ok(cli.run("subjects", "list", "--plan", "gold", "--limit", "1", "--all", "-o", "csv")).out().lines().toList();
    java.util.List<String> onePage = ok(cli.run("subjects", "list", "--plan", "gold", "--limit", "1000", "-o", "csv")).out().lines().toList();
    assertThat(all).as("following the cursor a subject at a time sees each once").isEqualTo(onePage).contains(all.get(1));
    assertThat(ok(cli.run("subjects", "list", "--at-share", "1", "-o", "csv")).out()).contains("\r\nalice,").doesNotContain("bob");

    ok(cli.run("subjects", "override", "bob", "--metric", "calls", "--limit", "100", "--expires-at", "2026-12-01T00:00:00Z"));
    ok(cli.run("subjects", "override", "bob", "--metric", "seats", "--unlimited"));
    JsonNode bob = Output.JSON.readTree(ok(cli.run("subjects", "get", "bob", "-o", "json")).out());
    assertThat(bob.path("overrides").path("calls").path("limit").asLong()).isEqualTo(100);
    assertThat(bob.path("overrides").path("seats").path("limit").isNull()).isTrue();
    assertThat(ok(cli.run("usage", "bob", "-o", "csv")).out()).contains(",calls,3,100,").contains("override");
    ok(cli.run("subjects", "override", "bob", "--metric", "calls", "--remove"));
    assertThat(Output.JSON.readTree(ok(cli.run("subjects", "get", "bob", "-o", "json")).out()).path("overrides").has("calls")).isFalse();
    assertThat(cli.run("subjects", "override", "bob", "--metric", "calls").exit()).as("one of --limit, --unlimited, --remove").isEqualTo(2);

    ok(cli.run("subjects", "set-plan", "carol", "tin"));
    ok(cli.run("subjects", "delete", "carol"));
    assertThat(cli.run("subjects", "get", "carol").exit()).isEqualTo(4);
  }

  @Test
  void plans_apply_and_delete() throws IOException {
    Path file = home.resolve("plans.json");
    Files.writeString(file, "{\"plans\":{\"temp-a\":{\"limits\":{\"x\":{\"limit\":1,\"period\":\"day\"}}},"
        + "\"temp-b\":{\"limits\":{\"x\":{\"limit\":null,\"period\":\"month\",\"enforcement\":\"soft\"}}}}}");
    Cli.Run applied = ok(cli.run("plans", "apply", "-f", file.toString(), "-o", "csv"));
    assertThat(applied.out()).contains("temp-a,x,1,day,hard").contains("temp-b,x,unlimited,month,soft");
    assertThat(applied.err()).contains("applied plan temp-a");
    assertThat(ok(cli.run("plans", "list", "-o", "csv")).out()).contains("temp-a,x,1,day");
    ok(cli.run("plans", "delete", "temp-a"));
    assertThat(cli.run("plans", "get", "temp-a").exit()).isEqualTo(4);
    ok(cli.run("subjects", "set-plan", "dave", "temp-b"));
    Cli.Run inUse = cli.run("plans", "delete", "temp-b");
    assertThat(inUse.exit()).as("409 plan-in-use").isEqualTo(5);
    assertThat(inUse.err()).contains("Plan in use");
    assertThat(cli.run("plans", "apply", "-f", home.resolve("missing.json").toString()).exit()).isEqualTo(1);
  }

  @Test
  void reset_needs_the_subject_confirmed() {
    ok(cli.run("subjects", "set-plan", "erin", "gold"));
    service.consume("erin", "calls", 4);
    Cli.Run wrong = cli.run("reset", "erin", "--metric", "calls", "--confirm", "alice");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("--confirm must repeat the subject");
    assertThat(cli.run("reset", "erin").exit()).as("--confirm is required").isEqualTo(2);
    ok(cli.run("reset", "erin", "--metric", "calls", "--confirm", "erin"));
    assertThat(ok(cli.run("usage", "erin", "-o", "csv")).out()).contains("erin,gold,calls,0,10,");
  }

  @Test
  void transfers_and_their_refusal() {
    ok(cli.run("subjects", "set-plan", "gil", "gold"));
    Cli.Run moved = ok(cli.run("transfer", "--from", "gil", "--to", "hal", "--metric", "calls", "--amount", "4", "-o", "csv"));
    assertThat(moved.out()).contains("gil,hal,calls,4,4,0,");
    Cli.Run refused = cli.run("transfer", "--from", "gil", "--to", "hal", "--metric", "calls", "--amount", "7");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(6);
    assertThat(refused.err()).contains("Insufficient units");
  }

  @Test
  void keys_events_status_and_completion() throws IOException {
    Cli.Run created = ok(cli.run("keys", "create", "--name", "cli-test", "--role", "read", "-o", "json"));
    JsonNode key = Output.JSON.readTree(created.out());
    assertThat(key.path("key").asText()).startsWith("qk_");
    assertThat(created.err()).contains("shown once");
    assertThat(ok(cli.run("keys", "list", "-o", "csv")).out()).contains(",cli-test,read,");
    ok(cli.run("keys", "revoke", key.path("id").asText()));
    Cli.Run revoked = new Cli(home).env("QUOTIENT_URL", server.url().toString()).env("QUOTIENT_API_KEY", key.path("key").asText())
        .run("plans", "list");
    assertThat(revoked.exit()).isEqualTo(3);

    // By type: the monitor appends alice's alert and race events whenever its projections get to
    // them, so her last two events of any type depend on timing.
    Cli.Run tail = ok(cli.run("events", "tail", "--subject", "alice", "--type", "consume", "-n", "2", "-o", "json"));
    assertThat(tail.out().lines()).hasSize(2).allMatch(l -> l.contains("\"type\":\"consume\""));
    Cli.Run follow = ok(cli.run("events", "tail", "--subject", "alice", "-n", "1", "--follow", "--count", "1", "-o", "csv"));
    assertThat(follow.out()).startsWith("at,type,subject,allowed,reason,items,id\r\n");

    Cli.Run status = ok(cli.run("status", "-o", "csv"));
    assertThat(status.out()).contains(",up,up,true,1,quotient CLI");

    Cli.Run completion = ok(cli.run("completion", "bash"));
    assertThat(completion.out()).contains("complete -F").contains("subjects").contains("transfer");
    assertThat(cli.run("completion", "fish").exit()).isEqualTo(2);

    // The real webhooks route: none registered on this server yet.
    Cli.Run webhooks = ok(cli.run("webhooks", "list", "-o", "json"));
    assertThat(webhooks.out().replaceAll("\\s", "")).isEqualTo("{\"webhooks\":[]}");
  }

  @Test
  void alerts_list_with_filters_and_rules() throws Exception {
    // Alice used 17 of 10: her 8th call fired 80 %, her 10th 95 % and 100 % (the monitor decides from the feed).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (Output.JSON.readTree(ok(cli.run("alerts", "list", "--subject", "alice", "-o", "json")).out()).path("alerts").size() < 3) {
      assertThat(System.nanoTime()).as("waiting for alice's alerts").isLessThan(deadline);
      Thread.sleep(50);
    }
    golden("alerts.table", ok(cli.run("alerts", "list", "--subject", "alice", "--state", "firing", "--metric", "calls", "-o", "table")).out());
    golden("alerts.csv", ok(cli.run("alerts", "list", "--subject", "alice", "-o", "csv")).out());
    golden("alerts.json", ok(cli.run("alerts", "list", "--subject", "alice", "--limit", "1", "-o", "json")).out()
        .replaceAll("\"id\" : \"[0-9]+\"", "\"id\" : \"ID\""));
    assertThat(ok(cli.run("alerts", "list", "--subject", "alice", "--state", "resolved", "-o", "csv")).out())
        .isEqualTo("subject,metric,level,threshold,state,used,limit,windowStart,triggeredAt,resolvedAt,resolvedReason\r\n");
    assertThat(ok(cli.run("alerts", "list", "--subject", "bob", "-o", "csv")).out().lines()).hasSize(1);
    Cli.Run bad = cli.run("alerts", "list", "--state", "asleep");
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(5);
    assertThat(bad.err()).contains("state");

    Cli.Run put = ok(cli.run("alerts", "rules", "put", "tin-seats", "--plan", "tin", "--metric", "seats",
        "--threshold", "50", "--threshold", "100", "-o", "csv"));
    assertThat(put.out()).startsWith("name,plan,metric,thresholds,updatedAt\r\ntin-seats,tin,seats,\"[50,100]\",");
    Cli.Run rules = ok(cli.run("alerts", "rules", "list", "-o", "csv"));
    assertThat(rules.out()).contains("\r\ntin-seats,tin,seats,\"[50,100]\",");
    assertThat(rules.err()).contains("default thresholds where no rule applies: [80, 95, 100]");
    assertThat(cli.run("alerts", "rules", "put", "no-thresholds").exit()).as("--threshold is required").isEqualTo(2);
    ok(cli.run("alerts", "rules", "delete", "tin-seats"));
    assertThat(cli.run("alerts", "rules", "delete", "tin-seats").exit()).isEqualTo(4);
  }

  @Test
  void events_tail_follows_the_live_stream() throws Exception {
    ok(cli.run("subjects", "set-plan", "ivy", "tin"));
    service.consume("ivy", "calls", 1); // the day's one call: a past event
    Cli.Background tail = cli.start("events", "tail", "--subject", "ivy", "--type", "consume", "-n", "5", "--follow",
        "--count", "3", "-o", "csv");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (!tail.errSoFar().contains("following the live stream")) {
      assertThat(tail.run().isDone()).as("the tail ended early: %s", tail.run().getNow(null)).isFalse();
      assertThat(System.nanoTime()).as("waiting for the stream").isLessThan(deadline);
      Thread.sleep(20);
    }
    service.consume("ivy", "calls", 1); // denied: quota.denied on the stream
    service.consume("ivy", "calls", 1);
    Cli.Run run = ok(tail.run().get(20, java.util.concurrent.TimeUnit.SECONDS));
    golden("tail-follow.csv", run.out().replaceAll(",[0-9]+\r\n", ",ID\r\n"));

    Cli.Background json = cli.start("events", "tail", "--subject", "ivy", "--type", "quota.denied", "-n", "0", "--follow",
        "--count", "1", "-o", "json");
    while (!json.errSoFar().contains("following the live stream")) {
      assertThat(json.run().isDone()).as("the tail ended early: %s", json.run().getNow(null)).isFalse();
      assertThat(System.nanoTime()).as("waiting for the stream").isLessThan(deadline + 20_000_000_000L);
      Thread.sleep(20);
    }
    service.consume("ivy", "calls", 1);
    JsonNode line = Output.JSON.readTree(ok(json.run().get(20, java.util.concurrent.TimeUnit.SECONDS)).out());
    assertThat(line.path("type").asText()).isEqualTo("quota.denied");
    assertThat(line.path("cursor").asText()).isNotBlank();
    assertThat(line.path("data").path("subject").asText()).isEqualTo("ivy");
    assertThat(line.path("data").path("reason").asText()).isEqualTo("quota_exceeded");
  }

  @Test
  void a_table_on_a_terminal_json_otherwise_and_never_colour() {
    Cli.Run terminal = new Cli(home).env("QUOTIENT_URL", server.url().toString()).env("QUOTIENT_API_KEY", server.adminKey())
        .terminal(true).run("plans", "get", "tin");
    assertThat(terminal.out()).startsWith("PLAN  METRIC").doesNotContain("\u001b[");
    Cli.Run piped = ok(cli.run("plans", "get", "tin"));
    assertThat(piped.out()).startsWith("{");
    assertThat(ok(cli.run("plans", "--help")).out()).doesNotContain("\u001b[");
  }
}
