package io.quotient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quotient.api.Plan;
import io.quotient.api.PlanRequest;
import io.quotient.api.Plans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plans list | get | apply -f FILE | delete}. */
final class PlanCommands {
  private PlanCommands() {}

  /** One row per plan and metric, for a table or CSV. */
  static List<ObjectNode> rows(List<Plan> plans) {
    List<ObjectNode> rows = new ArrayList<>();
    for (Plan plan : plans) {
      plan.limits().forEach((metric, limit) -> rows.add(Leaf.row()
          .put("plan", plan.name()).put("metric", metric)
          .put("limit", limit.limit() == null ? "unlimited" : limit.limit().toString())
          .put("period", limit.period()).put("enforcement", limit.enforcement())
          .put("overagePrice", limit.overagePrice() == null ? "" : limit.overagePrice().amount() + " " + limit.overagePrice().currency())
          .put("rate", limit.rate() == null ? "" : limit.rate().perSecond() + "/s burst " + limit.rate().burst())));
    }
    return rows;
  }

  static final String[] COLUMNS = {"plan", "metric", "limit", "period", "enforcement", "overagePrice", "rate"};

  @Command(name = "plans", description = "Plans: named sets of limits.",
      subcommands = {ListPlans.class, GetPlan.class, ApplyPlans.class, DeletePlan.class},
      footer = {"", "Example:", "  bin/quotient plans list"})
  static final class Group extends Groups {}

  @Command(name = "list", description = "Every plan, one row per plan and metric.",
      footer = {"", "Example:", "  bin/quotient plans list -o csv"})
  static final class ListPlans extends Leaf {
    @Override
    void run() {
      Plans plans = client().plans();
      showRows(plans, rows(plans.plans()), COLUMNS);
    }
  }

  @Command(name = "get", description = "One plan.", footer = {"", "Example:", "  bin/quotient plans get free -o json"})
  static final class GetPlan extends Leaf {
    @Parameters(paramLabel = "NAME", description = "the plan") String name;

    @Override
    void run() {
      Plan plan = client().plan(name);
      showRows(plan, rows(List.of(plan)), COLUMNS);
    }
  }

  @Command(name = "apply", description = {
      "Creates or updates the plans of a file: the plans-file format ({\"plans\": {NAME: {\"limits\": …}}},",
      "as QUOTIENT_PLANS_FILE and config/plans.json) or one plan ({\"name\": NAME, \"limits\": …})."},
      footer = {"", "Example:", "  bin/quotient plans apply -f config/plans.json"})
  static final class ApplyPlans extends Leaf {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the plans file") Path file;

    @Override
    void run() {
      JsonNode doc;
      try {
        doc = Output.JSON.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new CliException(ExitCode.ERROR, "cannot read " + file + ": " + e.getMessage());
      }
      Map<String, JsonNode> plans = new java.util.LinkedHashMap<>();
      if (doc.has("plans")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("plans").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          plans.put(e.getKey(), e.getValue());
        }
      } else if (doc.has("name") && doc.has("limits")) {
        plans.put(doc.path("name").asText(), doc);
      } else {
        throw new CliException(ExitCode.USAGE, file + " holds neither {\"plans\": {...}} nor {\"name\", \"limits\"}");
      }
      List<Plan> applied = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : plans.entrySet()) {
        PlanRequest request;
        try {
          request = Output.JSON.treeToValue(Output.JSON.createObjectNode().set("limits", entry.getValue().path("limits")),
              PlanRequest.class);
        } catch (IOException e) {
          throw new CliException(ExitCode.USAGE, "plan '" + entry.getKey() + "' in " + file + " does not read: " + e.getMessage());
        }
        applied.add(client().putPlan(entry.getKey(), request));
        say("applied plan " + entry.getKey());
      }
      showRows(new Plans(applied), rows(applied), COLUMNS);
    }
  }

  @Command(name = "delete", description = "Deletes a plan (refused while subjects are on it).",
      footer = {"", "Example:", "  bin/quotient plans delete legacy"})
  static final class DeletePlan extends Leaf {
    @Parameters(paramLabel = "NAME", description = "the plan") String name;

    @Override
    void run() {
      client().deletePlan(name);
      say("deleted plan " + name);
    }
  }
}
