package io.quotient.cli;

import io.quotient.api.GrantRequest;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grants add | list}. */
final class GrantCommands {
  private GrantCommands() {}

  static final String[] COLUMNS = {"id", "subject", "metric", "amount", "used", "remaining", "expiresAt", "reason", "createdAt"};

  @Command(name = "grants", description = "Bonus units: used after the plan's allowance, earliest expiry first.",
      subcommands = {AddGrant.class, ListGrants.class},
      footer = {"", "Example:", "  bin/quotient grants add alice --metric ai_generations --amount 5 --reason support"})
  static final class Group extends Groups {}

  @Command(name = "add", description = "Grants bonus units to a subject.",
      footer = {"", "Example:", "  bin/quotient grants add alice --metric ai_generations --amount 5 --expires-at 2026-12-31T00:00:00Z"})
  static final class AddGrant extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String subject;
    @Option(names = "--metric", required = true, paramLabel = "METRIC") String metric;
    @Option(names = "--amount", required = true, paramLabel = "N") long amount;
    @Option(names = "--expires-at", paramLabel = "INSTANT") Instant expiresAt;
    @Option(names = "--reason", paramLabel = "TEXT") String reason;

    @Override
    void run() {
      show(client().grant(subject, new GrantRequest(metric, amount, expiresAt, reason)), null, COLUMNS);
    }
  }

  @Command(name = "list", description = "A subject's grants, newest first.", footer = {"", "Example:", "  bin/quotient grants list alice"})
  static final class ListGrants extends Leaf {
    @Parameters(paramLabel = "SUBJECT") String subject;

    @Override
    void run() {
      show(client().grants(subject), "grants", COLUMNS);
    }
  }
}
