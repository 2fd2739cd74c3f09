package io.quotient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code webhooks add | test} send, recorded by a real HTTP receiver standing in for the
 * server (the test kit's server refuses the loopback URLs a test could receive on). {@code webhooks
 * list}, {@code alerts} and {@code events tail --follow} run against a real server in
 * {@link CommandsTest}.
 */
class MonitorCommandsTest {
  static HttpServer receiver;
  static final List<String> received = new CopyOnWriteArrayList<>();
  @TempDir static Path home;
  static Cli cli;

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String uri = exchange.getRequestURI().toString();
      received.add(exchange.getRequestMethod() + " " + uri + " " + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
      String answer = switch (exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()) {
        case "GET /v1/webhooks" -> "{\"webhooks\":[{\"id\":\"wh_1\",\"url\":\"https://hooks.example.com/q\",\"format\":\"slack\",\"types\":[\"alert.triggered\"]}]}";
        case "POST /v1/webhooks" -> "{\"id\":\"wh_2\",\"url\":\"https://hooks.example.com/new\",\"format\":\"standard\",\"types\":[\"alert.triggered\"]}";
        case "POST /v1/webhooks/wh_1/test" -> "{\"delivered\":true,\"status\":200}";
        default -> null;
      };
      byte[] bytes = (answer == null
          ? "{\"type\":\"urn:quotient:problem:not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no such route\"}"
          : answer).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", answer == null ? "application/problem+json" : "application/json");
      exchange.sendResponseHeaders(answer == null ? 404 : exchange.getRequestMethod().equals("POST") && answer.contains("wh_2") ? 201 : 200,
          bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    receiver.start();
    cli = new Cli(home).env("QUOTIENT_URL", "http://127.0.0.1:" + receiver.getAddress().getPort()).env("QUOTIENT_API_KEY", "qk_admin");
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
  }

  @Test
  void webhooks_list_add_and_test() {
    Cli.Run list = cli.run("webhooks", "list", "-o", "csv");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).isEqualTo("id,url,format,types\r\nwh_1,https://hooks.example.com/q,slack,\"[\"\"alert.triggered\"\"]\"\r\n");

    Cli.Run add = cli.run("webhooks", "add", "--endpoint", "https://hooks.example.com/new", "--type", "alert.triggered",
        "--type", "alert.resolved", "--format", "standard", "-o", "json");
    assertThat(add.exit()).as(add.toString()).isZero();
    assertThat(received).anySatisfy(r -> assertThat(r).isEqualTo("POST /v1/webhooks Bearer qk_admin "
        + "{\"url\":\"https://hooks.example.com/new\",\"types\":[\"alert.triggered\",\"alert.resolved\"],\"format\":\"standard\"}"));
    assertThat(cli.run("webhooks", "add", "--endpoint", "https://x.example").exit()).as("--type is required").isEqualTo(2);

    Cli.Run test = cli.run("webhooks", "test", "wh_1", "-o", "csv");
    assertThat(test.out()).isEqualTo("delivered,status\r\ntrue,200\r\n");
    assertThat(cli.run("webhooks", "test", "wh_none").exit()).isEqualTo(4);
  }
}
