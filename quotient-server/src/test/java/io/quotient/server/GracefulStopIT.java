package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7, defect 2: {@code bin/quotient serve} stopped with SIGTERM (or Ctrl-C, SIGINT) under load
 * from 16 callers on keep-alive connections answers every request it was sent — its decision, or
 * 503 {@code shutting-down} — and resets none; it exits within 10 s; its embedded PostgreSQL
 * stops last and is gone afterwards, with every granted unit counted. An idle stop logs nothing
 * alarming.
 */
class GracefulStopIT {
  private static final int CALLERS = 16;

  @TempDir Path dir;

  @ParameterizedTest(name = "SIG{0}")
  @ValueSource(strings = {"TERM", "INT"})
  void a_stop_under_load_answers_every_request_and_stops_the_database_last(String signal) throws Exception {
    Path dataDir = dir.resolve("data");
    int port = LaunchedServer.freePort();
    List<Long> granted;
    try (LaunchedServer server = LaunchedServer.launch(dir, dataDir, port, LaunchedServer.loadSettings(dir), false, "serve")) {
      assertThat(server.awaitReady(Duration.ofMinutes(3))).as(server.output()).isTrue();
      String serviceKey = server.createKey(server.printedAdminKey().orElseThrow(), "service");
      try (Callers load = Callers.start(port, serviceKey, CALLERS, "caller-")) {
        assertThat(load.awaitAnswers(30, Duration.ofMinutes(1))).as(load.summary()).isTrue();
        long signalled = System.nanoTime();
        server.signal(signal);
        assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s\n" + server.output()).isTrue();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertThat(load.awaitDone(Duration.ofSeconds(30))).as(load.summary()).isTrue();
        System.out.printf("SIG%s under load: exited after %d ms; %d granted, %d shutting-down, %d resets%n", signal,
            stopMillis, load.granted().size(), load.shuttingDown(), load.resets());
        assertThat(load.resets()).as("requests sent and never answered\n" + load.summary() + server.output()).isZero();
        assertThat(load.unexpected()).as(load.summary()).isEmpty();
        granted = load.granted();
      }
      assertThat(server.stderr()).contains("Quotient stopped");
      assertThat(dataDir.resolve("postgres/postmaster.pid")).as("the embedded PostgreSQL stopped").doesNotExist();
      assertThat(LaunchedServer.postgresOn(dataDir)).as("no PostgreSQL left on the data directory").isEmpty();
    } finally {
      LaunchedServer.stopPostgres(dataDir);
    }

    try (Database database = Database.embedded(dataDir, 4);
        Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT coalesce(sum(used), 0) FROM counters WHERE subject LIKE 'caller-%'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("every unit granted before the stop is counted, and no other").isEqualTo(granted.size());
    }
  }

  @Test
  void an_idle_stop_logs_no_warning_and_no_stack_trace() throws Exception {
    Path dataDir = dir.resolve("data");
    try (LaunchedServer server = LaunchedServer.launch(dir, dataDir, LaunchedServer.freePort(), Map.of(), false, "serve")) {
      assertThat(server.awaitReady(Duration.ofMinutes(3))).as(server.output()).isTrue();
      long signalled = System.nanoTime();
      server.signal("TERM");
      assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s\n" + server.output()).isTrue();
      System.out.printf("idle SIGTERM: exited after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
      String output = server.output();
      assertThat(output).contains("Quotient stopped");
      assertThat(output).doesNotContain("WARN", "ERROR", "Exception", "\tat ");
      assertThat(LaunchedServer.postgresOn(dataDir)).isEmpty();
    } finally {
      LaunchedServer.stopPostgres(dataDir);
    }
  }
}
