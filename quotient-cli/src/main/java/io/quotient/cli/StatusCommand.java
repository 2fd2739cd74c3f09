package io.quotient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code status}: the server's health and version. */
@Command(name = "status", description = "The server's health (database, taking requests) and the API version.",
    footer = {"", "Example:", "  bin/quotient status"})
final class StatusCommand extends Leaf {
  @Override
  void run() {
    JsonNode health = raw("GET", "/health/ready", null);
    JsonNode doc = raw("GET", "/v1/openapi.json", null);
    String cli = new Main.Version().getVersion()[0];
    show(row().put("url", session().target(root().url, root().apiKey).url().toString())
        .put("status", health.path("status").asText()).put("database", health.path("database").asText(""))
        .put("accepting", health.path("accepting").asText("")).put("apiVersion", doc.path("info").path("version").asText())
        .put("cli", cli), null, "url", "status", "database", "accepting", "apiVersion", "cli");
    if (!"up".equals(health.path("status").asText())) {
      throw new CliException(ExitCode.SERVER_ERROR, "the server is not ready");
    }
  }
}
