package io.quotient.server;

import io.quotient.QuotientException;
import io.quotient.server.auth.ApiKeys;
import io.quotient.server.auth.CredentialTables;
import io.quotient.server.auth.Role;
import io.quotient.server.config.ConfigException;
import io.quotient.server.config.ServerConfig;
import io.quotient.storage.Database;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The command line. {@code quotient serve [--config PATH]} runs the server until SIGTERM or
 * SIGINT, then shuts down gracefully; {@code quotient admin-key [--config PATH]} mints a new admin
 * key on the database the same settings name and prints it. Exits 2 for a bad setting or usage
 * (the message names it) and 1 when the work cannot be done.
 */
public final class Main {
  private static final String USAGE = "usage: quotient serve [--config PATH] | quotient admin-key [--config PATH]";

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !(args[0].equals("serve") || args[0].equals("admin-key"))) {
      err.println(USAGE);
      return 2;
    }
    ServerConfig config;
    try {
      config = ServerConfig.load(Arrays.copyOfRange(args, 1, args.length), System.getenv());
    } catch (ConfigException e) {
      err.println("quotient: invalid setting " + e.getMessage());
      return 2;
    }
    return args[0].equals("serve") ? serve(config, out, err) : adminKey(config, out, err);
  }

  private static int serve(ServerConfig config, PrintStream out, PrintStream err) {
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
    // The one shutdown hook: it closes the server, which closes the engine and then the database
    // (the embedded PostgreSQL registers none), so nothing stops before what still needs it.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } finally {
        stopped.countDown();
      }
    }, "quotient-shutdown"));
    server.generatedAdminKey().ifPresent(key -> {
      out.println();
      out.println("  A fresh database: this is its admin key. It is shown once; keep it safe.");
      out.println();
      out.println("    QUOTIENT_ADMIN_KEY=" + key);
      out.println();
      out.flush();
      // Only now that it is shown: a start that dies before this line leaves the key pending, and
      // the next start shows a new one.
      server.adminKeyShown();
    });
    out.println("Quotient listening on http://localhost:" + server.port());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Mints an admin key with local access to the database, for an operator who lost every admin
   * key. With the embedded database it works whether the server is stopped (it starts the
   * embedded PostgreSQL for the time it needs) or running (it connects to the PostgreSQL the
   * running server keeps in the data directory).
   */
  private static int adminKey(ServerConfig config, PrintStream out, PrintStream err) {
    Database database;
    try {
      database = config.databaseUrl() != null
          ? Database.external(config.databaseUrl(), config.databaseSchema(), 4)
          : Database.runningEmbedded(config.dataDir().toAbsolutePath(), 4)
              .orElseGet(() -> Database.embedded(config.dataDir().toAbsolutePath(), 4));
    } catch (QuotientException e) {
      err.println("quotient: could not open the database: " + e.getMessage());
      return 1;
    }
    try (database) {
      CredentialTables.migrate(database.dataSource(), database.schema());
      ApiKeys.IssuedKey issued = new ApiKeys(database.dataSource(), Clock.systemUTC()).create("admin (admin-key command)", Role.ADMIN);
      out.println("A new admin key (" + issued.info().id() + "). It is shown once; keep it safe.");
      out.println();
      out.println("    QUOTIENT_ADMIN_KEY=" + issued.key());
      out.println();
      out.flush();
      return 0;
    } catch (QuotientException e) {
      err.println("quotient: could not mint an admin key: " + e.getMessage());
      return 1;
    }
  }
}
