package io.quotient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quotient.testkit.QuotientTestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The exit codes, each from a real fault; where the server and key come from; help on every command. */
class ExitCodesTest {
  static QuotientTestServer server;
  @TempDir static Path home;

  @BeforeAll
  static void start() {
    server = QuotientTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Cli admin() {
    return new Cli(home).env("QUOTIENT_URL", server.url().toString()).env("QUOTIENT_API_KEY", server.adminKey());
  }

  @Test
  void each_kind_of_fault_has_its_code() throws IOException {
    assertThat(admin().run("plans", "list").exit()).isEqualTo(0);
    assertThat(admin().run("plans", "list", "--colour").exit()).as("unknown option").isEqualTo(2);
    assertThat(admin().run("report", "overage", "--period", "November").exit()).as("bad period").isEqualTo(2);
    assertThat(admin().run("plans").exit()).as("no subcommand").isEqualTo(2);
    assertThat(admin().env("QUOTIENT_API_KEY", "qk_wrong-key-00000000000000000000000").run("plans", "list").exit()).isEqualTo(3);
    assertThat(admin().run("keys", "list", "--api-key", server.readKey()).exit()).as("a read key may not list keys").isEqualTo(3);
    assertThat(new Cli(home).env("QUOTIENT_URL", server.url().toString()).run("plans", "list").exit()).as("no key").isEqualTo(3);
    assertThat(admin().run("subjects", "get", "nobody").exit()).isEqualTo(4);
    Cli.Run invalid = admin().run("grants", "add", "someone", "--metric", "ai_generations", "--amount", "0");
    assertThat(invalid.exit()).as(invalid.toString()).isEqualTo(5);
    assertThat(invalid.err()).contains("(amount)");
    admin().run("subjects", "set-plan", "poor", "free");
    assertThat(admin().run("transfer", "--from", "poor", "--to", "rich", "--metric", "exports", "--amount", "9").exit()).isEqualTo(6);
    assertThat(admin().run("plans", "list", "--url", "http://127.0.0.1:1").exit()).isEqualTo(8);
    assertThat(admin().run("plans", "list", "--url", "ftp://example.com").exit()).isEqualTo(2);

    // A server that fails: 7.
    HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    failing.createContext("/", exchange -> {
      byte[] body = "{\"type\":\"urn:quotient:problem:internal-error\",\"title\":\"Internal error\",\"status\":500,\"detail\":\"boom\"}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
      exchange.sendResponseHeaders(500, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    failing.start();
    try {
      Cli.Run failed = admin().run("plans", "list", "--url", "http://127.0.0.1:" + failing.getAddress().getPort());
      assertThat(failed.exit()).as(failed.toString()).isEqualTo(7);
      assertThat(failed.err()).contains("boom");
    } finally {
      failing.stop(0);
    }
  }

  @Test
  void the_command_line_wins_over_the_environment_which_wins_over_the_config_file() throws IOException {
    Path configHome = Files.createTempDirectory(home, "cfg");
    Path config = configHome.resolve(".config/quotient/config");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "url=" + server.url() + "\napi-key=" + server.adminKey() + "\n");
    assertThat(new Cli(configHome).run("plans", "list").exit()).as("from the file").isZero();
    assertThat(new Cli(configHome).env("QUOTIENT_API_KEY", "qk_wrong-key-00000000000000000000000").run("plans", "list").exit())
        .as("the environment over the file").isEqualTo(3);
    assertThat(new Cli(configHome).env("QUOTIENT_API_KEY", "qk_wrong-key-00000000000000000000000")
        .run("plans", "list", "--api-key", server.adminKey()).exit()).as("the option over the environment").isZero();
    assertThat(new Cli(configHome).env("QUOTIENT_URL", "http://127.0.0.1:1").run("plans", "list").exit()).isEqualTo(8);
  }

  @Test
  void every_command_has_help_with_an_example() {
    List<String> missing = new ArrayList<>();
    check(Main.commandLine(new Session(System.out, System.err, java.util.Map.of(), home, false)), missing);
    assertThat(missing).isEmpty();
    Cli.Run help = admin().run("subjects", "override", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: quotient subjects override").contains("Example");
  }

  private static void check(CommandLine command, List<String> missing) {
    String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    if (!usage.contains("Example")) {
      missing.add(command.getCommandSpec().qualifiedName());
    }
    command.getSubcommands().values().forEach(sub -> {
      if (!sub.getCommandName().equals("help")) {
        check(sub, missing);
      }
    });
  }
}
