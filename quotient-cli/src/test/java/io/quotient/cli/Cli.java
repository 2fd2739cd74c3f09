package io.quotient.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code bin/quotient}'s commands in process, capturing stdout, stderr and the exit code. */
final class Cli {
  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private final Path home;
  private boolean terminal;

  Cli(Path home) {
    this.home = home;
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Cli terminal(boolean value) {
    terminal = value;
    return this;
  }

  /** A run in the background: what it has written so far, and the run once it ends. */
  record Background(ByteArrayOutputStream out, ByteArrayOutputStream err, java.util.concurrent.CompletableFuture<Run> run) {
    String errSoFar() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  Background start(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> environment = Map.copyOf(env);
    java.util.concurrent.CompletableFuture<Run> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
          environment, home, terminal);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }, runnable -> Thread.ofVirtual().start(runnable));
    return new Background(out, err, run);
  }

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.copyOf(env), home, terminal);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
