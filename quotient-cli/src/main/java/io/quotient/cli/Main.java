package io.quotient.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code bin/quotient <command>}: everything but {@code serve} and {@code admin-key}, which the
 * launcher gives to the server.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, out, err, System.getenv(), Path.of(System.getProperty("user.home")), stdoutIsTerminal());
    out.flush();
    System.exit(code);
  }

  /** Runs one command; returns its exit code. Everything the command touches is passed in. */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path home, boolean terminal) {
    Session session = new Session(out, err, env, home, terminal);
    try {
      return commandLine(session).execute(args);
    } finally {
      session.close();
    }
  }

  static CommandLine commandLine(Session session) {
    CommandLine cl = new CommandLine(new QuotientCommand(session));
    cl.setOut(new PrintWriter(session.out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(session.err, true, StandardCharsets.UTF_8));
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(session.terminal ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    cl.setExecutionExceptionHandler(new Faults(session.err));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.registerConverter(YearMonth.class, value -> {
      if (!value.matches("[0-9]{4}-[0-9]{2}")) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a month such as 2026-11");
      }
      return YearMonth.parse(value);
    });
    cl.registerConverter(Instant.class, Instant::parse);
    return cl;
  }

  /**
   * True when stdout is a terminal. {@code Console.isTerminal()} (Java 22) says so even where
   * {@code System.console()} is not null for redirected streams; on Java 21 a console exists only
   * on a terminal.
   */
  static boolean stdoutIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** The version: this jar's, and the API's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"quotient CLI " + (version == null ? "development" : version) + " (API v1)"};
    }
  }
}
