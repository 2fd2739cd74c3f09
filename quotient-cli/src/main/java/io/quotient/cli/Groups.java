package io.quotient.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups others ({@code plans}, {@code subjects}, …): alone it is a usage error. */
abstract class Groups implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is needed: " + spec.subcommands().keySet());
  }
}
