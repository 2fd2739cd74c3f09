package io.quotient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.api.Problem;
import io.quotient.client.QuotientClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that does something (as opposed to a group of commands): the session, the client and
 * the output of the run, reached through the root command. Designed for extension by each command.
 */
abstract class Leaf implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    run();
    return ExitCode.OK.code;
  }

  abstract void run() throws Exception;

  QuotientCommand root() {
    return (QuotientCommand) spec.root().userObject();
  }

  Session session() {
    return root().session;
  }

  QuotientClient client() {
    QuotientCommand root = root();
    return root.session.client(root.session.target(root.url, root.apiKey));
  }

  /** {@code -o}, else a table on a terminal and JSON otherwise. */
  Output.Format format() {
    QuotientCommand root = root();
    if (root.output != null) {
      return root.output;
    }
    return root.session.terminal ? Output.Format.table : Output.Format.json;
  }

  /** Writes an answer on stdout (see {@link Output#write}). */
  void show(Object answer, String rowsField, String... columns) {
    Output.write(session().out, format(), answer, rowsField, List.of(columns));
  }

  /** Writes {@code answer} as JSON, or {@code rows} as a table or CSV. */
  void showRows(Object answer, List<? extends JsonNode> rows, String... columns) {
    Output.writeRows(session().out, format(), answer, rows, List.of(columns));
  }

  static com.fasterxml.jackson.databind.node.ObjectNode row() {
    return Output.JSON.createObjectNode();
  }

  /** A message for people, on stderr. */
  void say(String message) {
    session().err.println(message);
  }

  /**
   * A call to a route the Java client has no method for (webhooks): JSON in and
   * out, faults mapped like the client's.
   */
  JsonNode raw(String method, String path, String jsonBody) {
    QuotientCommand root = root();
    Session.Target target = root.session.target(root.url, root.apiKey);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(Duration.ofSeconds(10))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (target.apiKey() != null) {
      request.header("Authorization", "Bearer " + target.apiKey());
    }
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? Output.JSON.nullNode() : Output.JSON.readTree(response.body());
      if (response.statusCode() / 100 != 2 && body.has("type") && body.has("status")) {
        Problem problem = Output.JSON.treeToValue(body, Problem.class);
        throw new CliException(Faults.ofStatus(response.statusCode(), problem.problemType()),
            problem.title() + ": " + problem.detail());
      }
      if (response.statusCode() / 100 != 2 && response.statusCode() != 503) {
        throw new CliException(Faults.ofStatus(response.statusCode(), null), "the server answered " + response.statusCode());
      }
      return body;
    } catch (IOException e) {
      throw new CliException(ExitCode.NETWORK, "could not reach Quotient at " + target.url() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.ERROR, "interrupted");
    }
  }
}
