package io.quotient.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.NotFoundException;
import io.quotient.server.problem.ProblemException;
import io.quotient.storage.Database;
import io.quotient.testing.MutableClock;
import io.quotient.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key and token stores on a real database, without the engine or HTTP. */
class CredentialStoreTest {
  static Database database;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-03-15T12:00:00Z"));

  @BeforeAll
  static void open() {
    database = TestDatabase.create(4);
    CredentialTables.migrate(database.dataSource(), database.schema());
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @Test
  void only_a_hash_of_a_key_is_stored() throws Exception {
    ApiKeys keys = new ApiKeys(database.dataSource(), clock);
    ApiKeys.IssuedKey issued = keys.create("svc", Role.SERVICE);
    assertThat(issued.key()).startsWith("qk_").hasSizeGreaterThan(40);
    List<String> cells = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM server_api_keys")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          byte[] bytes = rs.getBytes(i);
          cells.add(bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(cells).noneMatch(cell -> cell.contains(issued.key()));
    assertThat(keys.find(issued.key())).map(ApiKeys.KeyInfo::role).contains(Role.SERVICE);
    assertThat(keys.find(issued.key() + "x")).isEmpty();
  }

  @Test
  void a_revoked_key_is_found_revoked_at_once() {
    ApiKeys keys = new ApiKeys(database.dataSource(), clock);
    ApiKeys.IssuedKey issued = keys.create("to revoke", Role.READ);
    keys.revoke(issued.info().id());
    assertThat(keys.find(issued.key()).orElseThrow().revokedAt()).isEqualTo(clock.instant());
    assertThatThrownBy(() -> keys.revoke("key_none")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void a_key_cached_by_another_instance_stops_working_when_it_is_revoked() throws Exception {
    try (ApiKeys here = new ApiKeys(database.dataSource(), clock);
        ApiKeys there = new ApiKeys(database.dataSource(), clock)) {
      here.listenForRevocations();
      there.listenForRevocations();
      awaitTrue(() -> here.isCaching() && there.isCaching());
      ApiKeys.IssuedKey issued = here.create("shared", Role.SERVICE);
      assertThat(there.find(issued.key()).orElseThrow().revokedAt()).isNull();
      // Now cached there: a change the database makes behind the cache's back stays unseen...
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("UPDATE server_api_keys SET name = 'renamed' WHERE id = '" + issued.info().id() + "'");
      }
      assertThat(there.find(issued.key()).orElseThrow().name()).isEqualTo("shared");
      // ...but a revocation is announced to every instance, which drops what it cached.
      here.revoke(issued.info().id());
      assertThat(here.find(issued.key()).orElseThrow().revokedAt()).as("at once where it was revoked").isNotNull();
      awaitTrue(() -> there.find(issued.key()).orElseThrow().revokedAt() != null);
    }
  }

  @Test
  void without_the_revocation_listener_nothing_is_cached() throws Exception {
    ApiKeys keys = new ApiKeys(database.dataSource(), clock);
    ApiKeys.IssuedKey issued = keys.create("uncached", Role.READ);
    assertThat(keys.find(issued.key()).orElseThrow().revokedAt()).isNull();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE server_api_keys SET revoked_at = now() WHERE id = '" + issued.info().id() + "'");
    }
    assertThat(keys.isCaching()).isFalse();
    assertThat(keys.find(issued.key()).orElseThrow().revokedAt()).isNotNull();
  }

  /** Polls until {@code condition} holds, for at most 10 seconds (notifications arrive asynchronously). */
  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 seconds");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void bootstrap_creates_admin_keys_until_one_is_confirmed_shown() throws Exception {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM server_api_keys");
    }
    ApiKeys keys = new ApiKeys(database.dataSource(), clock);
    String neverShown = keys.bootstrap(null).orElseThrow();
    assertThat(keys.find(neverShown).orElseThrow().role()).isEqualTo(Role.ADMIN);
    // Not confirmed (the start died before printing it): the next bootstrap makes another.
    String generated = keys.bootstrap(null).orElseThrow();
    assertThat(generated).isNotEqualTo(neverShown);
    keys.confirmShown(generated);
    assertThat(keys.find(neverShown)).as("the pending key nobody was shown is gone").isEmpty();
    assertThat(keys.find(generated).orElseThrow().role()).isEqualTo(Role.ADMIN);
    assertThat(keys.bootstrap(null)).isEmpty();
    assertThat(keys.bootstrap("qk_configured-but-too-late-0123456789")).isEmpty();
    assertThat(keys.find("qk_configured-but-too-late-0123456789")).isEmpty();
    // The only admin key cannot be revoked: nobody could administer the deployment any more.
    String id = keys.find(generated).orElseThrow().id();
    assertThatThrownBy(() -> keys.revoke(id)).isInstanceOf(ProblemException.class);
    keys.create("second admin", Role.ADMIN);
    assertThat(keys.revoke(id).revokedAt()).isNotNull();
  }

  @Test
  void tokens_verify_on_another_instance_and_expire() {
    SubjectTokens first = SubjectTokens.load(database.dataSource(), clock);
    SubjectTokens second = SubjectTokens.load(database.dataSource(), clock);
    SubjectTokens.IssuedToken token = first.issue("u1", SubjectTokens.DEFAULT_TTL);
    assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(second.verify(token.token())).map(Credential.SubjectToken::subject).contains("u1");
    String tampered = token.token().substring(0, token.token().length() - 2) + "AA";
    assertThat(second.verify(tampered)).isEmpty();
    clock.advance(Duration.ofMinutes(15));
    assertThat(second.verify(token.token())).isEmpty();
  }
}
