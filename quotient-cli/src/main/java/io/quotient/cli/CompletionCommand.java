package io.quotient.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code completion bash}: the bash completion script. */
@Command(name = "completion", description = "Prints a shell completion script (bash).",
    footer = {"", "Example:", "  source <(bin/quotient completion bash)"})
final class CompletionCommand extends Leaf {
  @Parameters(paramLabel = "SHELL", description = "bash") String shell;

  @Override
  void run() {
    if (!shell.equals("bash")) {
      throw new CliException(ExitCode.USAGE, "only bash completion is available, not '" + shell + "'");
    }
    CommandLine root = spec.root().commandLine();
    session().out.print(AutoComplete.bash("quotient", root));
    session().out.flush();
  }
}
