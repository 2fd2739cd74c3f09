package io.quotient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quotient.api.Event;
import io.quotient.api.EventPage;
import io.quotient.api.AlertRuleRequest;
import io.quotient.api.AlertRules;
import io.quotient.api.StreamMessage;
import io.quotient.client.AlertQuery;
import io.quotient.client.EventQuery;
import io.quotient.client.LiveStream;
import io.quotient.client.StreamQuery;
import io.quotient.client.StreamedMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the monitor shows: {@code alerts list}, {@code alerts rules list | put | delete} and
 * {@code events tail [--follow]} on the Java client; {@code webhooks list | add | test} (routes
 * called as they are: a server without them answers 404, exit 4).
 */
final class MonitorCommands {
  private MonitorCommands() {}

  @Command(name = "alerts", description = "Alerts: thresholds of limits crossed, and the rules that set them.",
      subcommands = {ListAlerts.class, Rules.class},
      footer = {"", "Example:", "  bin/quotient alerts list --state firing"})
  static final class Alerts extends Groups {}

  @Command(name = "list", description = "Alerts, newest first (GET /v1/alerts).",
      footer = {"", "Example:", "  bin/quotient alerts list --state firing --subject alice -o json"})
  static final class ListAlerts extends Leaf {
    @Option(names = "--state", paramLabel = "STATE", description = "firing or resolved") String state;
    @Option(names = "--subject", paramLabel = "SUBJECT") String subject;
    @Option(names = "--metric", paramLabel = "METRIC") String metric;
    @Option(names = "--limit", paramLabel = "N", description = "at most N, 1 to 1000 (default 100)") Integer limit;

    @Override
    void run() {
      show(client().alerts(new AlertQuery(state, subject, metric, limit)), "alerts", "subject", "metric", "level",
          "threshold", "state", "used", "limit", "windowStart", "triggeredAt", "resolvedAt", "resolvedReason");
    }
  }

  @Command(name = "rules", description = "Threshold rules (GET, PUT, DELETE /v1/alert-rules).",
      subcommands = {ListRules.class, PutRule.class, DeleteRule.class},
      footer = {"", "Example:", "  bin/quotient alerts rules put free-ai --plan free --metric ai_generations --threshold 50 --threshold 100"})
  static final class Rules extends Groups {}

  @Command(name = "list", description = "Every rule; where none applies: 80, 95, 100.",
      footer = {"", "Example:", "  bin/quotient alerts rules list"})
  static final class ListRules extends Leaf {
    @Override
    void run() {
      AlertRules rules = client().alertRules();
      show(rules, "rules", "name", "plan", "metric", "thresholds", "updatedAt");
      if (format() != Output.Format.json) {
        say("default thresholds where no rule applies: " + rules.defaultThresholds());
      }
    }
  }

  @Command(name = "put", description = "Creates or replaces a rule: thresholds for a plan, a metric or both.",
      footer = {"", "Example:", "  bin/quotient alerts rules put free-ai --plan free --metric ai_generations --threshold 50 --threshold 100"})
  static final class PutRule extends Leaf {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--plan", paramLabel = "PLAN", description = "the plan it applies to (default: every plan)") String plan;
    @Option(names = "--metric", paramLabel = "METRIC", description = "the metric it applies to (default: every metric)") String metric;
    @Option(names = "--threshold", required = true, paramLabel = "PERCENT", description = "a percentage, 1 to 1000 (repeatable)")
    List<Integer> thresholds = new ArrayList<>();

    @Override
    void run() {
      show(client().putAlertRule(name, new AlertRuleRequest(plan, metric, thresholds)), null,
          "name", "plan", "metric", "thresholds", "updatedAt");
    }
  }

  @Command(name = "delete", description = "Deletes a rule.", footer = {"", "Example:", "  bin/quotient alerts rules delete free-ai"})
  static final class DeleteRule extends Leaf {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    void run() {
      client().deleteAlertRule(name);
      say("deleted alert rule " + name);
    }
  }

  @Command(name = "webhooks", description = "Webhook endpoints.", subcommands = {ListHooks.class, AddHook.class, TestHook.class},
      footer = {"", "Example:", "  bin/quotient webhooks add --endpoint https://hooks.example.com/quotient --type alert.triggered"})
  static final class Webhooks extends Groups {}

  @Command(name = "list", description = "Every webhook endpoint (GET /v1/webhooks).", footer = {"", "Example:", "  bin/quotient webhooks list"})
  static final class ListHooks extends Leaf {
    @Override
    void run() {
      show(raw("GET", "/v1/webhooks", null), "webhooks");
    }
  }

  @Command(name = "add", description = "Adds a webhook endpoint (POST /v1/webhooks).",
      footer = {"", "Example:", "  bin/quotient webhooks add --endpoint https://hooks.example.com/q --type alert.triggered --format slack"})
  static final class AddHook extends Leaf {
    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "where to deliver") String endpoint;
    @Option(names = "--type", required = true, paramLabel = "TYPE",
        description = "a message type to send, such as alert.triggered (repeatable; at least one)")
    List<String> types = new ArrayList<>();
    @Option(names = "--format", paramLabel = "FORMAT", description = "standard, slack or discord") String format;

    @Override
    void run() {
      ObjectNode body = row().put("url", endpoint);
      ArrayNode list = body.putArray("types");
      types.forEach(list::add);
      if (format != null) {
        body.put("format", format);
      }
      show(raw("POST", "/v1/webhooks", body.toString()), null);
    }
  }

  @Command(name = "test", description = "Sends a test message to a webhook endpoint (POST /v1/webhooks/{id}/test).",
      footer = {"", "Example:", "  bin/quotient webhooks test wh_0123"})
  static final class TestHook extends Leaf {
    @Parameters(paramLabel = "ID") String id;

    @Override
    void run() {
      show(raw("POST", "/v1/webhooks/" + encode(id) + "/test", "{}"), null);
    }
  }

  @Command(name = "events", description = "The audit trail.", subcommands = Tail.class,
      footer = {"", "Example:", "  bin/quotient events tail --subject alice --follow"})
  static final class Events extends Groups {}

  @Command(name = "tail", description = {
      "The last events of the feed, oldest first; with --follow, then every new message of the live",
      "stream (GET /v1/stream) as it commits, resuming after a dropped connection with nothing missed",
      "or repeated. JSON is one event (then one stream message) per line."},
      footer = {"", "Example:", "  bin/quotient events tail --type consume -n 50 --follow"})
  static final class Tail extends Leaf {
    /** The stream's message types of each feed event type (others, such as alert.triggered, are the same). */
    private static final Map<String, List<String>> MESSAGE_TYPES = Map.of(
        "consume", List.of("quota.consumed", "quota.denied"),
        "refund", List.of("quota.refunded"),
        "reserve", List.of("reservation.created"),
        "commit", List.of("reservation.committed"),
        "release", List.of("reservation.released"),
        "expire", List.of("reservation.expired"),
        "grant", List.of("grant.added"),
        "reset", List.of("subject.reset"),
        "subject_change", List.of("subject.plan_changed"));
    private static final List<String> COLUMNS = List.of("at", "type", "subject", "allowed", "reason", "items", "id");

    @Option(names = "--subject", paramLabel = "SUBJECT") String subject;
    @Option(names = "--type", paramLabel = "TYPE", description = "consume, refund, grant, transfer, …; a stream type (alert.triggered, …) with --follow")
    String type;
    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "how many past events (default 20)") int lines = 20;
    @Option(names = {"-f", "--follow"}, description = "keep printing new messages of the live stream") boolean follow;
    @Option(names = "--count", paramLabel = "N", description = "stop after printing N rows in all (default: never with --follow)")
    Long count;

    private long printed;
    private boolean headerDone;

    @Override
    void run() throws InterruptedException {
      String pastType = type != null && type.contains(".") ? null : type;
      EventQuery query = new EventQuery(subject, pastType, null, 1000);
      ArrayDeque<Event> last = new ArrayDeque<>();
      EventPage page;
      do {
        page = client().events(query);
        for (Event event : page.events()) {
          last.addLast(event);
          if (last.size() > lines) {
            last.removeFirst();
          }
        }
        query = query.after(page.nextCursor());
      } while (page.events().size() == 1000);
      for (Event event : last) {
        if (!print(Output.tree(event))) {
          return;
        }
      }
      if (follow) {
        follow(page.nextCursor());
      }
    }

    /** Follows the stream from just after the feed's position read above: nothing between is missed. */
    private void follow(String after) throws InterruptedException {
      List<String> types = type == null ? List.of() : MESSAGE_TYPES.getOrDefault(type, List.of(type));
      CountDownLatch enough = new CountDownLatch(1);
      try (LiveStream stream = client().stream(new StreamQuery(subject, types, after), m -> {
        if (!print(row(m))) {
          enough.countDown();
        }
      })) {
        stream.done().whenComplete((ok, failure) -> enough.countDown());
        while (stream.connections() == 0 && !stream.done().isDone()) {
          Thread.sleep(10);
        }
        if (stream.connections() > 0) {
          say("following the live stream (Ctrl-C to stop)");
        }
        enough.await();
        if (stream.done().isCompletedExceptionally()) {
          stream.done().join(); // throws the problem: mapped to its exit code
        }
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }

    /** A stream message in the columns of an event. */
    private static JsonNode row(StreamedMessage streamed) {
      StreamMessage m = streamed.message();
      ObjectNode row = row();
      row.put("at", m.timestamp() == null ? (String) null : m.timestamp().toString());
      row.put("type", m.type());
      row.put("subject", m.subject());
      if (m.type().equals("quota.consumed") || m.type().equals("quota.denied")) {
        row.put("allowed", m.type().equals("quota.consumed"));
      }
      Map<String, Object> data = m.data() == null ? Map.of() : m.data();
      row.set("reason", Output.JSON.valueToTree(data.get("reason")));
      row.set("items", Output.JSON.valueToTree(data.get("items")));
      row.put("id", m.id());
      row.put("cursor", streamed.cursor());
      row.set("data", Output.JSON.valueToTree(data));
      return row;
    }

    /** Prints one row; false once --count rows are out. */
    private synchronized boolean print(JsonNode node) {
      if (count != null && printed >= count) {
        return false;
      }
      switch (format()) {
        case json -> session().out.println(node.toString());
        case csv -> {
          List<String> cells = COLUMNS.stream().map(c -> Output.cell(node.path(c))).toList();
          if (!headerDone) {
            Output.csv(session().out, COLUMNS, List.of(cells));
          } else {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
              line.append(i == 0 ? "" : ",").append(Output.field(cells.get(i)));
            }
            session().out.print(line.append("\r\n"));
          }
        }
        case table -> {
          if (!headerDone) {
            session().out.println(String.join("  ", COLUMNS.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList()));
          }
          session().out.println(String.join("  ", COLUMNS.stream().map(c -> Output.cell(node.path(c))).toList()).stripTrailing());
        }
      }
      session().out.flush();
      headerDone = true;
      printed++;
      return count == null || printed < count;
    }
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
