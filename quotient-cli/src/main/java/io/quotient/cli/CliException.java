package io.quotient.cli;

/** A fault the CLI itself detects, with the exit code it stands for; its message goes to stderr. */
final class CliException extends RuntimeException {
  final ExitCode exit;

  CliException(ExitCode exit, String message) {
    super(message, null, false, false);
    this.exit = exit;
  }
}
