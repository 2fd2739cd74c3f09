package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7, defect 1: {@code bin/quotient serve} killed with SIGKILL under load — the JVM alone, or
 * its whole process group — leaves its embedded PostgreSQL running on the data directory (the
 * PostgreSQL runs in a session of its own). The next start on that directory must start on the
 * first try, and every unit the killed server granted must still be counted.
 */
class RestartAfterKillIT {
  private static final int CALLERS = 16;

  @TempDir Path dir;

  @ParameterizedTest(name = "kill -9 {0}")
  @ValueSource(strings = {"the JVM alone", "the process group"})
  void the_next_start_after_a_kill_starts_at_once_and_counts_every_granted_unit(String what) throws Exception {
    Path dataDir = dir.resolve("data");
    int port = LaunchedServer.freePort();
    Map<String, String> settings = LaunchedServer.loadSettings(dir);
    List<Long> granted;
    long orphan;
    try (LaunchedServer victim = LaunchedServer.launch(dir, dataDir, port, settings, true, "serve")) {
      assertThat(victim.awaitReady(Duration.ofMinutes(3))).as(victim.output()).isTrue();
      String serviceKey = victim.createKey(victim.printedAdminKey().orElseThrow(), "service");
      try (Callers load = Callers.start(port, serviceKey, CALLERS, "victim-")) {
        assertThat(load.awaitAnswers(30, Duration.ofMinutes(1))).as(load.summary()).isTrue();
        orphan = victim.postgresPid().orElseThrow();
        if (what.equals("the JVM alone")) {
          victim.process.destroyForcibly(); // SIGKILL to the JVM: no shutdown hook runs
        } else {
          victim.killGroup();
        }
        assertThat(victim.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(load.awaitDone(Duration.ofSeconds(30))).as(load.summary()).isTrue();
        assertThat(load.unexpected()).as(load.summary()).isEmpty();
        granted = load.granted();
      }
    }
    try {
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
          .as("the killed server's PostgreSQL outlives it (what the next start must deal with)").contains(true);
      assertThat(granted).hasSizeGreaterThanOrEqualTo(CALLERS * 30);

      long launched = System.nanoTime();
      try (LaunchedServer next = LaunchedServer.launch(dir, dataDir, port, settings, false, "serve")) {
        assertThat(next.awaitReady(Duration.ofMinutes(3))).as("started on the first try\n" + next.output()).isTrue();
        System.out.printf("kill -9 %s after %d grants: ready again %d ms after the next launch%n", what, granted.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + next.postgresPort().orElseThrow() + "/postgres", "postgres", "");
            Statement statement = connection.createStatement()) {
          Set<Long> stored = new HashSet<>();
          try (ResultSet rs = statement.executeQuery(
              "SELECT id FROM events WHERE type = 'consume' AND allowed AND subject LIKE 'victim-%'")) {
            while (rs.next()) {
              stored.add(rs.getLong(1));
            }
          }
          long counted;
          try (ResultSet rs = statement.executeQuery("SELECT coalesce(sum(used), 0) FROM counters WHERE subject LIKE 'victim-%'")) {
            rs.next();
            counted = rs.getLong(1);
          }
          assertThat(stored).as("every grant the killed server answered is recorded").containsAll(granted);
          assertThat(counted).as("and counted, the counters agreeing with the events").isEqualTo(stored.size());
        }
        next.signal("TERM");
        assertThat(next.process.waitFor(30, TimeUnit.SECONDS)).as(next.output()).isTrue();
      }
      assertThat(LaunchedServer.postgresOn(dataDir)).isEmpty();
    } finally {
      LaunchedServer.stopPostgres(dataDir);
    }
  }
}
