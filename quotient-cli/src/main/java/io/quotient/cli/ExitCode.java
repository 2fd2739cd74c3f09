package io.quotient.cli;

/** The exit codes of {@code bin/quotient}: a script can tell what kind of fault stopped a command. */
enum ExitCode {
  OK(0),
  /** Anything else: a local failure (a file that does not read), an answer that is not Quotient's. */
  ERROR(1),
  /** The command line is wrong (picocli's usage errors use the same code). */
  USAGE(2),
  /** No key, or the server refused it (401) or its role (403). */
  AUTHENTICATION(3),
  /** The subject, plan, key or route does not exist (404). */
  NOT_FOUND(4),
  /** Any other 4xx. */
  CLIENT_ERROR(5),
  /** A denial or a limit: a transfer refused for lack of units, a 429. */
  DENIED(6),
  /** The server failed (5xx). */
  SERVER_ERROR(7),
  /** No connection, or none in time. */
  NETWORK(8);

  final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
