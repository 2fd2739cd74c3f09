package io.quotient.server;

import io.quotient.QuotientException;
import io.quotient.server.config.ConfigException;
import io.quotient.server.config.ServerConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code quotient serve [--config PATH]}. Exits 2 for a bad setting (the message
 * names it) and 1 when the server cannot start; runs until SIGTERM or SIGINT, then shuts down
 * gracefully.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("serve")) {
      err.println("usage: quotient serve [--config PATH]");
      return 2;
    }
    ServerConfig config;
    try {
      config = ServerConfig.load(Arrays.copyOfRange(args, 1, args.length), System.getenv());
    } catch (ConfigException e) {
      err.println("quotient: invalid setting " + e.getMessage());
      return 2;
    }
    QuotientServer server;
    try {
      server = QuotientServer.start(config);
    } catch (ConfigException e) {
      err.println("quotient: invalid setting " + e.getMessage());
      return 2;
    } catch (QuotientException | IllegalStateException e) {
      err.println("quotient: could not start: " + e.getMessage());
      return 1;
    }
    server.generatedAdminKey().ifPresent(key -> {
      out.println();
      out.println("  A fresh database: this is its admin key. It is shown once; keep it safe.");
      out.println();
      out.println("    QUOTIENT_ADMIN_KEY=" + key);
      out.println();
    });
    out.println("Quotient listening on http://localhost:" + server.port());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } finally {
        stopped.countDown();
      }
    }, "quotient-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
