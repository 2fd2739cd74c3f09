package io.quotient.cli;

import io.quotient.api.OverageReport;
import java.io.OutputStream;
import java.time.YearMonth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Month-end: {@code report overage} and {@code export usage}. */
final class ReportCommands {
  private ReportCommands() {}

  @Command(name = "report", description = "Reports.", subcommands = Overage.class,
      footer = {"", "Example:", "  bin/quotient report overage --period 2026-11 -o csv"})
  static final class Report extends Groups {}

  @Command(name = "overage", description = {
      "A month's overage per subject and metric: units, unit price, amount (rounded half-up to the currency's",
      "minor unit), final or provisional. Totals per currency go to stderr with a table or CSV."},
      footer = {"", "Example:", "  bin/quotient report overage --period 2026-11 -o csv > overage-2026-11.csv"})
  static final class Overage extends Leaf {
    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "a calendar month (UTC)") YearMonth period;

    @Override
    void run() {
      OverageReport report = client().overageReport(period);
      show(report, "lines", "subject", "plan", "metric", "overageUnits", "unitPrice", "currency", "amount", "status");
      if (format() != Output.Format.json) {
        for (OverageReport.Total total : report.totals()) {
          say("total " + total.currency() + " " + total.amount() + " (final " + total.finalAmount() + ", provisional "
              + total.provisionalAmount() + ")");
        }
      }
    }
  }

  @Command(name = "export", description = "Exports.", subcommands = Usage.class,
      footer = {"", "Example:", "  bin/quotient export usage --period 2026-11 -o csv > usage-2026-11.csv"})
  static final class Export extends Groups {}

  @Command(name = "usage", description = {
      "Every subject x metric x window of a month, streamed as the server reads it (never held in memory):",
      "CSV (RFC 4180; also for -o table) or JSON."},
      footer = {"", "Example:", "  bin/quotient export usage --period 2026-11 -o csv > usage-2026-11.csv"})
  static final class Usage extends Leaf {
    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "a calendar month (UTC)") YearMonth period;

    @Override
    void run() throws Exception {
      String format = format() == Output.Format.json ? "json" : "csv";
      OutputStream out = session().out;
      client().exportUsage(period, format, out);
      out.flush();
    }
  }
}
