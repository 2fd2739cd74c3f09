package io.quotient.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code bin/quotient}: the root command and the options every command takes. */
@Command(
    name = "quotient",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = {
        "Operate a Quotient server over HTTP: plans, subjects, usage, grants, transfers, month-end reports.",
        "Data goes to stdout, messages to stderr. `bin/quotient serve` and `bin/quotient admin-key` run the server itself."},
    subcommands = {
        PlanCommands.Group.class,
        SubjectCommands.Group.class,
        SubjectCommands.Usage.class,
        GrantCommands.Group.class,
        SubjectCommands.Reset.class,
        TransferCommand.class,
        ReportCommands.Report.class,
        ReportCommands.Export.class,
        KeyCommands.Group.class,
        MonitorCommands.Alerts.class,
        MonitorCommands.Webhooks.class,
        MonitorCommands.Events.class,
        StatusCommand.class,
        CompletionCommand.class},
    footer = {
        "",
        "Server and key: --url/--api-key, else QUOTIENT_URL/QUOTIENT_API_KEY, else url=/api-key= in ~/.config/quotient/config.",
        "Exit codes: 0 ok, 1 error, 2 usage, 3 authentication, 4 not found, 5 other 4xx,",
        "6 denied or limited, 7 server error, 8 network.",
        "",
        "Example:",
        "  bin/quotient report overage --period 2026-11 -o csv > overage-2026-11.csv"})
final class QuotientCommand implements Runnable {
  final Session session;

  @Spec CommandSpec spec;

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "the server, such as http://localhost:8080 (default: QUOTIENT_URL, the config file, then http://localhost:8080)")
  String url;

  @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
      description = "the API key (default: QUOTIENT_API_KEY, then the config file)")
  String apiKey;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
      description = "table, json or csv (RFC 4180); default: a table on a terminal, else json")
  Output.Format output;

  QuotientCommand(Session session) {
    this.session = session;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is needed");
  }
}
