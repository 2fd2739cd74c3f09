package io.quotient.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@code postmaster.pid} left behind may name a process that is gone, or a pid the system has
 * since given to another program: neither is a PostgreSQL to stop (stopping the second would
 * signal an unrelated process).
 */
class PostmasterTest {

  @Test
  void a_pid_file_naming_a_live_process_that_is_not_that_postgres_is_not_a_running_server() throws Exception {
    Path pgData = TestDatabase.temporaryDirectory();
    ProcessHandle self = ProcessHandle.current(); // alive, but a java, not a postgres
    Instant started = self.info().startInstant().orElseThrow();
    write(pgData, self.pid(), started);
    Postmaster reused = Postmaster.read(pgData).orElseThrow();
    assertThat(reused.pid()).isEqualTo(self.pid());
    assertThat(reused.port()).isEqualTo(5432);
    assertThat(reused.isRunning()).isFalse();
  }

  @Test
  void a_pid_file_naming_a_process_started_at_another_time_is_not_a_running_server() throws Exception {
    Path pgData = TestDatabase.temporaryDirectory();
    // A live process whose start time is not the file's: the pid was reused.
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      write(pgData, sleeper.pid(), Instant.now().minusSeconds(3600));
      assertThat(Postmaster.read(pgData).orElseThrow().isRunning()).isFalse();
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_pid_file_naming_a_process_that_is_gone_is_not_a_running_server() throws Exception {
    Path pgData = TestDatabase.temporaryDirectory();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    write(pgData, gone.pid(), Instant.now());
    assertThat(Postmaster.read(pgData).orElseThrow().isRunning()).isFalse();
  }

  @Test
  void no_file_or_a_file_still_being_written_is_no_server() throws Exception {
    Path pgData = TestDatabase.temporaryDirectory();
    assertThat(Postmaster.read(pgData)).isEmpty();
    Files.writeString(pgData.resolve(Postmaster.PID_FILE), "123\n" + pgData + "\n");
    assertThat(Postmaster.read(pgData)).isEmpty();
  }

  /** A pid file as PostgreSQL writes it: pid, directory, start time, port, socket dir, address, shm key, status. */
  private static void write(Path pgData, long pid, Instant started) throws Exception {
    Files.writeString(pgData.resolve(Postmaster.PID_FILE), pid + "\n" + pgData + "\n" + started.getEpochSecond()
        + "\n5432\n/tmp\nlocalhost\n  1234567      8\nready   \n");
  }
}
