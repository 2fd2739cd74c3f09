package io.quotient.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The suite's command line: {@code java -jar quotient-bench.jar [mode] [options]}, normally run
 * through {@code bench/run}. Exits 0 when every scenario ran and every audit passed, 2 when an
 * audit failed (the database disagrees with what callers were told, or a subject went past its
 * limit), 1 on any other failure.
 */
public final class Main {
  private Main() {}

  /** Runs the mode named by the first argument ({@code all} when none). */
  public static void main(String[] args) throws Exception {
    List<String> list = Arrays.asList(args);
    String mode = list.isEmpty() || list.get(0).startsWith("--") ? "all" : list.get(0);
    List<String> rest = list.isEmpty() || list.get(0).startsWith("--") ? list : list.subList(1, list.size());
    if (mode.equals("help") || mode.equals("--help") || rest.contains("--help")) {
      System.out.println(Options.USAGE);
      return;
    }
    if (mode.equals("jmh")) {
      DecisionBenchmarks.run(rest, false);
      return;
    }
    Options options;
    try {
      options = Options.parse(rest);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(64);
      return;
    }
    int status = new Suite(options, System.out).run(mode);
    System.exit(status);
  }
}
