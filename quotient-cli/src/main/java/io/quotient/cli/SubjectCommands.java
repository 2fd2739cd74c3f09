package io.quotient.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quotient.api.ResetRequest;
import io.quotient.api.Subject;
import io.quotient.api.SubjectPage;
import io.quotient.api.SubjectRequest;
import io.quotient.client.SubjectQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subjects list | get | set-plan | override | delete}, {@code usage SUBJECT}, {@code reset SUBJECT}. */
final class SubjectCommands {
  private SubjectCommands() {}

  static final String[] COLUMNS = {"id", "plan", "billingAnchor", "metadata", "overrides"};

  @Command(name = "subjects", description = "Subjects: whoever usage is counted for.",
      subcommands = {ListSubjects.class, GetSubject.class, SetPlan.class, SetOverride.class, DeleteSubject.class},
      footer = {"", "Example:", "  bin/quotient subjects list --plan free --at-share 0.8"})
  static final class Group extends Groups {}

  @Command(name = "list", description = {"Subjects in id order, filtered.",
      "Without --all, one page; the next page's cursor goes to stderr."},
      footer = {"", "Example:", "  bin/quotient subjects list --metadata team=core --all -o csv"})
  static final class ListSubjects extends Leaf {
    @Option(names = "--plan", paramLabel = "PLAN", description = "only subjects on this plan") String plan;
    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "only subjects whose metadata has this pair") String metadata;
    @Option(names = "--at-share", paramLabel = "SHARE", description = "only subjects at or past this share (0.8 = 80%) of any limit")
    Double atShare;
    @Option(names = "--created-since", paramLabel = "INSTANT", description = "only subjects created since, such as 2026-11-01T00:00:00Z")
    Instant createdSince;
    @Option(names = "--limit", paramLabel = "N", description = "page size, 1 to 1000 (default 100)") Integer limit;
    @Option(names = "--after", paramLabel = "CURSOR", description = "start after this cursor (a page's next cursor)") String after;
    @Option(names = "--all", description = "follow the cursor to the end") boolean all;

    @Override
    void run() {
      if (metadata != null && metadata.indexOf('=') <= 0) {
        throw new CliException(ExitCode.USAGE, "--metadata must be KEY=VALUE, was '" + metadata + "'");
      }
      SubjectQuery query = new SubjectQuery(plan, metadata, atShare, createdSince, after, limit);
      List<Subject> subjects = new ArrayList<>();
      SubjectPage page;
      do {
        page = client().subjects(query);
        subjects.addAll(page.subjects());
        query = query.after(page.nextCursor());
      } while (all && page.nextCursor() != null);
      if (!all && page.nextCursor() != null) {
        say("more: --after " + page.nextCursor());
      }
      show(new SubjectPage(subjects, all ? null : page.nextCursor()), "subjects", COLUMNS);
    }
  }

  @Command(name = "get", description = "One subject.", footer = {"", "Example:", "  bin/quotient subjects get alice"})
  static final class GetSubject extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String id;

    @Override
    void run() {
      show(client().subject(id), null, COLUMNS);
    }
  }

  @Command(name = "set-plan", description = "Moves a subject (or creates it) onto a plan; usage carries over.",
      footer = {"", "Example:", "  bin/quotient subjects set-plan alice starter"})
  static final class SetPlan extends Leaf {
    @Parameters(index = "0", paramLabel = "SUBJECT") String id;
    @Parameters(index = "1", paramLabel = "PLAN") String plan;

    @Override
    void run() {
      show(client().putSubject(id, SubjectRequest.onPlan(plan)), null, COLUMNS);
    }
  }

  @Command(name = "override", description = {
      "Sets or removes a subject's own limit for one metric of its plan (the others stay).",
      "It wins over the plan's until removed or until --expires-at."},
      footer = {"", "Examples:", "  bin/quotient subjects override acme --metric ai_generations --limit 1000 --expires-at 2026-12-01T00:00:00Z",
          "  bin/quotient subjects override staff-1 --metric ai_generations --unlimited",
          "  bin/quotient subjects override acme --metric ai_generations --remove"})
  static final class SetOverride extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String id;
    @Option(names = "--metric", required = true, paramLabel = "METRIC") String metric;
    @ArgGroup(exclusive = true, multiplicity = "1") Change change;
    @Option(names = "--expires-at", paramLabel = "INSTANT", description = "when the plan's limit applies again") Instant expiresAt;

    static final class Change {
      @Option(names = "--limit", paramLabel = "N", description = "the subject's own allowance per window") Long limit;
      @Option(names = "--unlimited", description = "no limit") boolean unlimited;
      @Option(names = "--remove", description = "back to the plan's limit") boolean remove;
    }

    @Override
    void run() {
      if (change.remove && expiresAt != null) {
        throw new CliException(ExitCode.USAGE, "--expires-at makes no sense with --remove");
      }
      Subject current = client().subject(id);
      Map<String, Subject.OverrideRequest> overrides = new TreeMap<>();
      current.overrides().forEach((m, o) -> overrides.put(m, new Subject.OverrideRequest(o.limit(), o.expiresAt())));
      if (change.remove) {
        overrides.remove(metric);
      } else {
        overrides.put(metric, new Subject.OverrideRequest(change.unlimited ? null : change.limit, expiresAt));
      }
      show(client().putSubject(id, SubjectRequest.withOverrides(overrides)), null, COLUMNS);
    }
  }

  @Command(name = "delete", description = {"Deletes a subject with its counters, grants and reservations.",
      "Its events stay in the audit trail."},
      footer = {"", "Example:", "  bin/quotient subjects delete churned-customer-42"})
  static final class DeleteSubject extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String id;

    @Override
    void run() {
      client().deleteSubject(id);
      say("deleted subject " + id);
    }
  }

  @Command(name = "usage", description = "A subject's usage of each metric of its plan in the current window.",
      footer = {"", "Example:", "  bin/quotient usage alice"})
  static final class Usage extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String id;

    @Override
    void run() {
      io.quotient.api.Usage usage = client().usage(id);
      List<ObjectNode> rows = new ArrayList<>();
      for (io.quotient.api.Usage.Metric m : usage.metrics()) {
        rows.add(row().put("subject", usage.subject()).put("plan", usage.plan()).put("metric", m.metric())
            .put("used", m.used()).put("limit", m.limit() == null ? "unlimited" : m.limit().toString())
            .put("remaining", m.remaining() == null ? "" : m.remaining().toString()).put("bonus", m.bonusRemaining())
            .put("held", m.held()).put("overage", m.overage()).put("limitSource", m.limitSource())
            .put("resetsAt", m.resetsAt() == null ? "" : m.resetsAt().toString()));
      }
      showRows(usage, rows, "subject", "plan", "metric", "used", "limit", "remaining", "bonus", "held", "overage",
          "limitSource", "resetsAt");
    }
  }

  @Command(name = "reset", description = {"Resets a subject's current window of one metric, or of every metric.",
      "--confirm must repeat the subject: a reset cannot be undone."},
      footer = {"", "Example:", "  bin/quotient reset alice --metric ai_generations --confirm alice"})
  static final class Reset extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String id;
    @Option(names = "--metric", paramLabel = "METRIC", description = "only this metric (default: every metric)") String metric;
    @Option(names = "--confirm", required = true, paramLabel = "SUBJECT", description = "the subject again") String confirm;

    @Override
    void run() {
      if (!id.equals(confirm)) {
        throw new CliException(ExitCode.USAGE, "--confirm must repeat the subject '" + id + "', was '" + confirm + "'");
      }
      show(client().reset(id, new ResetRequest(metric)), null, "eventId");
      say("reset " + id + (metric == null ? "" : " " + metric));
    }
  }
}
