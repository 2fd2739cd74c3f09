package io.quotient.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the JMH benchmarks of the decision logic ({@code io.quotient.engine.*Benchmark}) through
 * JMH's own command line, so every JMH option works after {@code bench/run jmh}.
 */
public final class DecisionBenchmarks {
  /** The benchmarks' include pattern. */
  public static final String INCLUDE = "io\\.quotient\\.engine\\..*Benchmark.*";

  private DecisionBenchmarks() {}

  /** Runs JMH with {@code args}; {@code quick} runs one short fork. */
  public static void run(List<String> args, boolean quick) throws Exception {
    List<String> jmh = new ArrayList<>();
    boolean hasPattern = args.stream().anyMatch(a -> !a.startsWith("-"));
    if (quick || args.contains("--quick")) {
      jmh.addAll(List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"));
    }
    for (String arg : args) {
      if (!arg.equals("--quick")) {
        jmh.add(arg);
      }
    }
    if (!hasPattern) {
      jmh.add(INCLUDE);
    }
    org.openjdk.jmh.Main.main(jmh.toArray(String[]::new));
  }
}
