package io.quotient.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.storage.Database;
import io.quotient.testing.Eventually;
import io.quotient.testing.MutableClock;
import io.quotient.testing.StalledListeners;
import io.quotient.testing.TcpProxy;
import io.quotient.testing.TestDatabase;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 10: the API-key cache trusts revocation notices only while its listening
 * connection answers keep-alive round trips. Here that connection goes through a proxy that
 * stalls it (open, silent: half-open), and another instance revokes a key this one has cached.
 */
class RevocationListenerTest {
  private static final long BOUND_SECONDS = 20;
  static final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");
  static Database direct;
  static TcpProxy proxy;
  static Database proxied;

  @BeforeAll
  static void open() {
    direct = TestDatabase.create(4);
    CredentialTables.migrate(direct.dataSource(), direct.schema());
    proxy = StalledListeners.proxyFor(direct);
    proxied = StalledListeners.through(proxy, direct, 4);
  }

  @AfterAll
  static void close() {
    proxied.close();
    proxy.close();
    direct.close();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Eventually.await(what, Duration.ofSeconds(BOUND_SECONDS), condition);
  }

  @Test
  void a_key_revoked_elsewhere_is_refused_even_when_the_listener_is_stalled() throws Exception {
    try (ApiKeys here = new ApiKeys(proxied.dataSource(), clock);
        ApiKeys elsewhere = new ApiKeys(direct.dataSource(), clock)) {
      here.listenForRevocations();
      await("the listener is up", here::isCaching);
      ApiKeys.IssuedKey issued = elsewhere.create("to revoke", Role.SERVICE);
      assertThat(here.find(issued.key()).orElseThrow().revokedAt()).isNull(); // cached here now

      assertThat(StalledListeners.stall(proxy, direct)).isEqualTo(1);
      elsewhere.revoke(issued.info().id()); // UPDATE + NOTIFY that the stalled listener cannot hear

      await("the revocation is seen here", () -> here.find(issued.key()).orElseThrow().revokedAt() != null);
    }
  }
}
