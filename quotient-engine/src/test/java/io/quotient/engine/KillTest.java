package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.status.SubjectStatus;
import io.quotient.storage.Database;
import io.quotient.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Durability: a process consuming under load is killed with SIGKILL; every unit it reported as
 * granted must be counted after a restart, and the counters must agree with the events.
 */
class KillTest {
  private static final int SUBJECTS = 50;
  private static final int GRANTS_BEFORE_KILL = 3000;

  @Test
  void what_was_granted_before_a_kill_is_still_counted_after_a_restart() throws Exception {
    try (Database database = TestDatabase.create(4)) {
      try (Quotient setup = Quotient.builder(database.dataSource()).defaultPlan("kill").sweepInterval(null).build()) {
        setup.putPlan(new Plan("kill", Map.of("ai", Limit.of(1_000_000, Period.MONTH))));
      }
      String schema = database.schema() == null ? "public" : database.schema();
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  LoadChild.class.getName(),
                  database.connectionUrl(),
                  schema,
                  "victim-",
                  Integer.toString(SUBJECTS),
                  "kill")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      Set<Long> reported = new HashSet<>();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null && reported.size() < GRANTS_BEFORE_KILL) {
          if (line.startsWith("granted ")) {
            reported.add(Long.parseLong(line.substring(8)));
          } else if (line.startsWith("denied ")) {
            child.destroyForcibly();
            throw new AssertionError("the load was denied, which its plan should never do: " + line);
          }
        }
        // SIGKILL: no shutdown hook, no graceful drain; batches in flight die with the process.
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(reported).hasSize(GRANTS_BEFORE_KILL);

      try (Quotient restarted = Quotient.builder(database.dataSource()).defaultPlan("kill").sweepInterval(null).build()) {
        long counted = 0;
        for (int s = 0; s < SUBJECTS; s++) {
          SubjectStatus status = restarted.status("victim-" + s);
          counted += status.metrics().get(0).used();
        }
        Set<Long> stored = grantedEventIds(database);
        assertThat(stored).as("every reported grant is recorded").containsAll(reported);
        assertThat(counted).as("counters agree with the events").isEqualTo(stored.size());
        assertThat(counted).isGreaterThanOrEqualTo(reported.size());
      }
    }
  }

  private static Set<Long> grantedEventIds(Database database) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM events WHERE type = 'consume' AND allowed AND subject LIKE 'victim-%'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    Set<Long> unique = new HashSet<>(ids);
    assertThat(unique).hasSameSizeAs(ids);
    return unique;
  }
}
