package io.quotient.cli;

import io.quotient.api.Transfer;
import io.quotient.api.TransferRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code transfer}: units from one subject to another, at once. */
@Command(name = "transfer", description = {
    "Moves units of one metric from one subject's allowance (then grants) to a grant on another,",
    "expiring when the giver's window ends. Refused (exit 6) when the giver lacks them."},
    footer = {"", "Example:", "  bin/quotient transfer --from alice --to bob --metric ai_generations --amount 3"})
final class TransferCommand extends Leaf {
  @Option(names = "--from", required = true, paramLabel = "SUBJECT") String from;
  @Option(names = "--to", required = true, paramLabel = "SUBJECT") String to;
  @Option(names = "--metric", required = true, paramLabel = "METRIC") String metric;
  @Option(names = "--amount", required = true, paramLabel = "N") long amount;
  @Option(names = "--idempotency-key", paramLabel = "KEY",
      description = "makes a rerun of this command a replay (default: a new key each run)") String key;

  @Override
  void run() {
    TransferRequest request = new TransferRequest(from, to, metric, amount);
    Transfer transfer = key == null ? client().transfer(request) : client().transfer(request, key);
    show(transfer, null, "from", "to", "metric", "amount", "fromPlan", "fromBonus", "grantId", "expiresAt", "eventId");
  }
}
