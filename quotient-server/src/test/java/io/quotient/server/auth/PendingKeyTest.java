package io.quotient.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.storage.Database;
import io.quotient.testing.TestDatabase;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pending bootstrap key that a later start's confirmation deletes stops working on every
 * instance, also where it was looked up and cached (it may have been printed, and used, before its
 * start was killed short of confirming it).
 */
class PendingKeyTest {
  static Database database;

  @BeforeAll
  static void open() {
    database = TestDatabase.create(6);
    CredentialTables.migrate(database.dataSource(), database.schema());
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @Test
  void a_pending_key_deleted_by_a_later_confirmation_leaves_every_cache() throws Exception {
    try (ApiKeys earlier = new ApiKeys(database.dataSource(), Clock.systemUTC());
        ApiKeys later = new ApiKeys(database.dataSource(), Clock.systemUTC())) {
      earlier.listenForRevocations();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!earlier.isCaching() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(earlier.isCaching()).isTrue();
      String printedThenKilled = earlier.bootstrap(null).orElseThrow();
      assertThat(earlier.find(printedThenKilled)).isPresent(); // used, so cached

      String shown = later.bootstrap(null).orElseThrow();
      later.confirmShown(shown);

      while (earlier.find(printedThenKilled).isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(earlier.find(printedThenKilled)).as("the deleted key left the other instance's cache").isEmpty();
      assertThat(earlier.find(shown)).isPresent();
    }
  }
}
