package io.quotient.bench.audit;

import java.io.PrintStream;

/** Says a failed audit so that nobody can miss it. */
public final class Alarm {
  private Alarm() {}

  /** Prints {@code result}'s problems under a banner naming {@code scenario}; does nothing when it passed. */
  public static void sound(String scenario, AuditResult result, PrintStream out) {
    if (result.passed()) {
      return;
    }
    String bar = "!".repeat(78);
    out.println(bar);
    out.println("!!! AUDIT FAILED after '" + scenario + "': the database disagrees with what callers were told");
    for (String problem : result.problems()) {
      out.println("!!!   " + problem);
    }
    out.println(bar);
  }
}
