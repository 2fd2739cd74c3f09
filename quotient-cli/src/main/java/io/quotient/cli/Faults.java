package io.quotient.cli;

import io.quotient.api.ProblemType;
import io.quotient.client.QuotientProblemException;
import io.quotient.client.QuotientProtocolException;
import io.quotient.client.QuotientTimeoutException;
import io.quotient.client.QuotientUnreachableException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The one place a fault becomes an exit code and a message on stderr (picocli's
 * {@code IExecutionExceptionHandler}): a problem by its status and type, no connection as 8, a
 * fault of the CLI's own by the code it carries.
 */
final class Faults implements CommandLine.IExecutionExceptionHandler {
  private final PrintStream err;

  Faults(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    ExitCode exit = exitOf(e);
    err.println("quotient: " + message(e));
    return exit.code;
  }

  static ExitCode exitOf(Exception e) {
    return switch (e) {
      case CliException c -> c.exit;
      case QuotientProblemException p -> ofStatus(p.status(), p.type().orElse(null));
      case QuotientProtocolException p -> p.status() >= 500 ? ExitCode.SERVER_ERROR : ExitCode.ERROR;
      case QuotientUnreachableException u -> ExitCode.NETWORK;
      case QuotientTimeoutException t -> ExitCode.NETWORK;
      case UncheckedIOException io -> ExitCode.ERROR;
      default -> ExitCode.ERROR;
    };
  }

  /** The exit code of an answer with {@code status} (and problem {@code type}, when known). */
  static ExitCode ofStatus(int status, ProblemType type) {
    if (status == 401 || status == 403) {
      return ExitCode.AUTHENTICATION;
    }
    if (status == 404) {
      return ExitCode.NOT_FOUND;
    }
    if (status == 429 || type == ProblemType.INSUFFICIENT_UNITS) {
      return ExitCode.DENIED;
    }
    if (status >= 400 && status < 500) {
      return ExitCode.CLIENT_ERROR;
    }
    return status >= 500 ? ExitCode.SERVER_ERROR : ExitCode.ERROR;
  }

  private static String message(Exception e) {
    if (e instanceof QuotientProblemException p) {
      String field = p.problem().field() == null ? "" : " (" + p.problem().field() + ")";
      return p.problem().title() + ": " + p.problem().detail() + field;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
