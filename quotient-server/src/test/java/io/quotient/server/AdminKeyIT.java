package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, defect 3: a first start that fails (here: its port is taken) after creating the
 * database must not lock the operator out — the next start shows a working admin key, or honours
 * {@code QUOTIENT_BOOTSTRAP_ADMIN_KEY} — and {@code bin/quotient admin-key} mints a working admin
 * key with local access to the database, the server stopped or running.
 */
class AdminKeyIT {
  @TempDir Path dir;

  @Test
  void the_start_after_a_failed_first_start_shows_a_working_admin_key() throws Exception {
    Path dataDir = dir.resolve("data");
    int port = LaunchedServer.freePort();
    try {
      failFirstStart(dataDir, port, Map.of());
      try (LaunchedServer next = LaunchedServer.launch(dir, dataDir, port, Map.of(), false, "serve")) {
        assertThat(next.awaitReady(Duration.ofMinutes(3))).as(next.output()).isTrue();
        String key = next.printedAdminKey().orElseThrow(() -> new AssertionError("no admin key shown\n" + next.output()));
        assertThat(next.call("GET", "/v1/keys", key, null).status()).as("an admin call with the shown key").isEqualTo(200);
        stop(next);
      }
    } finally {
      LaunchedServer.stopPostgres(dataDir);
    }
  }

  @Test
  void the_configured_admin_key_is_honoured_after_a_failed_first_start_and_admin_key_mints_one() throws Exception {
    Path dataDir = dir.resolve("data");
    int port = LaunchedServer.freePort();
    String configured = "qk_configured-after-a-failure-0123456789";
    try {
      failFirstStart(dataDir, port, Map.of());
      try (LaunchedServer next = LaunchedServer.launch(dir, dataDir, port,
          Map.of("QUOTIENT_BOOTSTRAP_ADMIN_KEY", configured), false, "serve")) {
        assertThat(next.awaitReady(Duration.ofMinutes(3))).as(next.output()).isTrue();
        assertThat(next.call("GET", "/v1/keys", configured, null).status()).as(next.output()).isEqualTo(200);
        stop(next);
      }

      // Every admin key lost: mint one with the server stopped...
      String minted = adminKey(dataDir, port);
      try (LaunchedServer server = LaunchedServer.launch(dir, dataDir, port, Map.of(), false, "serve")) {
        assertThat(server.awaitReady(Duration.ofMinutes(3))).as(server.output()).isTrue();
        assertThat(server.call("GET", "/v1/keys", minted, null).status()).isEqualTo(200);
        // ...and with it running, through the PostgreSQL it keeps in the data directory.
        String second = adminKey(dataDir, port);
        assertThat(second).isNotEqualTo(minted);
        assertThat(server.call("GET", "/v1/keys", second, null).status()).isEqualTo(200);
        // A second server on the directory a live one uses is refused: its PostgreSQL is not a
        // left-over to stop.
        try (LaunchedServer intruder = LaunchedServer.launch(dir, dataDir, LaunchedServer.freePort(), Map.of(), false, "serve")) {
          assertThat(intruder.process.waitFor(3, TimeUnit.MINUTES)).as(intruder.output()).isTrue();
          assertThat(intruder.process.exitValue()).isEqualTo(1);
          assertThat(intruder.stderr()).contains("is in use by another running Quotient");
        }
        assertThat(server.call("GET", "/v1/keys", second, null).status()).as("the running server is untouched").isEqualTo(200);
        stop(server);
      }
    } finally {
      LaunchedServer.stopPostgres(dataDir);
    }
  }

  /** A first start on a taken port: it creates the database, then cannot listen, and exits 1. */
  private void failFirstStart(Path dataDir, int port, Map<String, String> env) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
      try (LaunchedServer first = LaunchedServer.launch(dir, dataDir, port, env, false, "serve")) {
        assertThat(first.process.waitFor(3, TimeUnit.MINUTES)).as(first.output()).isTrue();
        assertThat(first.process.exitValue()).as(first.output()).isEqualTo(1);
        assertThat(first.printedAdminKey()).isEmpty();
      }
    }
    assertThat(dataDir.resolve("postgres/PG_VERSION")).as("the failed start created the database").exists();
    assertThat(LaunchedServer.postgresOn(dataDir)).as("and stopped its PostgreSQL").isEmpty();
  }

  private String adminKey(Path dataDir, int port) throws Exception {
    try (LaunchedServer command = LaunchedServer.launch(dir, dataDir, port, Map.of(), false, "admin-key")) {
      assertThat(command.process.waitFor(3, TimeUnit.MINUTES)).as(command.output()).isTrue();
      assertThat(command.process.exitValue()).as(command.output()).isZero();
      return command.printedAdminKey().orElseThrow(() -> new AssertionError("no key printed\n" + command.output()));
    }
  }

  private static void stop(LaunchedServer server) throws Exception {
    server.signal("TERM");
    assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).as(server.output()).isTrue();
  }
}
