package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.server.config.ServerConfig;
import io.quotient.storage.Database;
import io.quotient.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap admin key stays pending until shown: a start that stops (or is killed) between
 * creating the key and showing it does not lock the operator out, because the next start creates
 * and returns another; once one is shown, no later start shows a key. In process, restarting the
 * server on one database.
 */
class BootstrapKeyTest {

  @Test
  void a_key_never_shown_is_replaced_by_the_next_start_and_a_shown_key_ends_the_bootstrap() throws Exception {
    Supplier<Database> database = sameDatabase();
    ServerConfig config = ServerConfig.defaults().withPort(0);

    String neverShown;
    try (QuotientServer first = QuotientServer.start(config, database.get(), Clock.systemUTC())) {
      neverShown = first.generatedAdminKey().orElseThrow();
      // Stopped (or killed) before adminKeyShown(): the operator never saw it.
    }
    String shown;
    try (QuotientServer second = QuotientServer.start(config, database.get(), Clock.systemUTC());
        TestClient client = new TestClient(second)) {
      shown = second.generatedAdminKey().orElseThrow(() -> new AssertionError("the next start must show a key"));
      assertThat(shown).isNotEqualTo(neverShown);
      second.adminKeyShown();
      assertThat(client.status("/v1/keys", shown)).isEqualTo(200);
      assertThat(client.status("/v1/keys", neverShown)).as("the key nobody saw is gone").isEqualTo(401);
    }
    try (QuotientServer third = QuotientServer.start(config, database.get(), Clock.systemUTC());
        TestClient client = new TestClient(third)) {
      assertThat(third.generatedAdminKey()).isEqualTo(Optional.empty());
      assertThat(client.status("/v1/keys", shown)).isEqualTo(200);
    }
  }

  /** Opens the same database on every call (each server closes the one it was given). */
  private static Supplier<Database> sameDatabase() throws Exception {
    String url = TestDatabase.externalUrl();
    if (url != null) {
      String schema = TestDatabase.schemaName();
      return () -> Database.external(url, schema, 10);
    }
    Path directory = TestDatabase.temporaryDirectory();
    return () -> Database.embedded(directory, 10);
  }

  /** Status codes of GET calls on a server. */
  private static final class TestClient implements AutoCloseable {
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final int port;

    TestClient(QuotientServer server) {
      this.port = server.port();
    }

    int status(String path, String key) throws Exception {
      return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
              .header("Authorization", "Bearer " + key).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
      http.close();
    }
  }
}
