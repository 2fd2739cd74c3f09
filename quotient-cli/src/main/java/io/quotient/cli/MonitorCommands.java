package io.quotient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quotient.api.Event;
import io.quotient.api.EventPage;
import io.quotient.client.EventQuery;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the monitor shows: {@code alerts list}, {@code webhooks list | add | test} (routes of the
 * monitor, called as they are: a server without them answers 404, exit 4), {@code events tail}.
 */
final class MonitorCommands {
  private MonitorCommands() {}

  @Command(name = "alerts", description = "Alerts: thresholds of limits crossed.", subcommands = ListAlerts.class,
      footer = {"", "Example:", "  bin/quotient alerts list"})
  static final class Alerts extends Groups {}

  @Command(name = "list", description = "Recent alerts (GET /v1/alerts).", footer = {"", "Example:", "  bin/quotient alerts list -o json"})
  static final class ListAlerts extends Leaf {
    @Option(names = "--subject", paramLabel = "SUBJECT") String subject;

    @Override
    void run() {
      JsonNode answer = raw("GET", "/v1/alerts" + (subject == null ? "" : "?subject=" + encode(subject)), null);
      show(answer, "alerts");
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
      "The last events of the feed, oldest first; with --follow, then every new one as it commits",
      "(polling GET /v1/events with its cursor). JSON is one event per line."},
      footer = {"", "Example:", "  bin/quotient events tail --type consume -n 50 --follow"})
  static final class Tail extends Leaf {
    @Option(names = "--subject", paramLabel = "SUBJECT") String subject;
    @Option(names = "--type", paramLabel = "TYPE", description = "consume, refund, grant, transfer, …") String type;
    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "how many past events (default 20)") int lines = 20;
    @Option(names = {"-f", "--follow"}, description = "keep printing new events") boolean follow;
    @Option(names = "--interval", paramLabel = "MILLIS", description = "how often to look for new events (default 1000)")
    long intervalMillis = 1000;
    @Option(names = "--count", paramLabel = "N", description = "stop after printing N events in all (default: never with --follow)")
    Long count;

    private long printed;
    private boolean headerDone;

    @Override
    void run() throws InterruptedException {
      EventQuery query = new EventQuery(subject, type, null, 1000);
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
        if (!print(event)) {
          return;
        }
      }
      while (follow) {
        Thread.sleep(Duration.ofMillis(intervalMillis));
        page = client().events(query);
        for (Event event : page.events()) {
          if (!print(event)) {
            return;
          }
        }
        query = query.after(page.nextCursor());
      }
    }

    /** Prints one event; false once --count events are out. */
    private boolean print(Event event) {
      if (count != null && printed >= count) {
        return false;
      }
      JsonNode node = Output.tree(event);
      List<String> columns = List.of("at", "type", "subject", "allowed", "reason", "items", "id");
      switch (format()) {
        case json -> session().out.println(node.toString());
        case csv -> {
          List<String> cells = columns.stream().map(c -> Output.cell(node.path(c))).toList();
          if (!headerDone) {
            Output.csv(session().out, columns, List.of(cells));
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
            session().out.println(String.join("  ", columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList()));
          }
          session().out.println(String.join("  ", columns.stream().map(c -> Output.cell(node.path(c))).toList()).stripTrailing());
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
