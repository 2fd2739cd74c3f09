package io.quotient.storage;

import io.quotient.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server as its data directory's {@code postmaster.pid} describes it: the process id,
 * the directory, the start time and the port, written by the server when it starts and removed
 * when it stops. A file left behind names a process that may be gone, or a pid since reused by
 * another program; {@link #isRunning} tells them apart by checking that the process is a
 * {@code postgres} that started when the file says.
 *
 * @param pid the postmaster's process id
 * @param dataDirectory the data directory holding the file
 * @param startedAt when the postmaster started (whole seconds)
 * @param port its TCP port
 */
record Postmaster(long pid, Path dataDirectory, Instant startedAt, int port) {
  static final String PID_FILE = "postmaster.pid";
  /** The process start time and the file's may differ by the time the server took to write it. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(5);

  /** The server {@code pgData/postmaster.pid} describes, or empty when there is none (or it is unreadable). */
  static Optional<Postmaster> read(Path pgData) {
    List<String> lines;
    try {
      lines = Files.readAllLines(pgData.resolve(PID_FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("could not read " + pgData.resolve(PID_FILE) + ": " + e.getMessage(), e);
    }
    // Line 1 pid, 2 data directory, 3 start time (epoch seconds), 4 port; a server still starting
    // may not have written them all yet.
    if (lines.size() < 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Postmaster(
          Long.parseLong(lines.get(0).strip()),
          pgData, // where the file is: the directory may have moved since line 2 was written
          Instant.ofEpochSecond(Long.parseLong(lines.get(2).strip())),
          Integer.parseInt(lines.get(3).strip())));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * True when this pid is alive and is the PostgreSQL that wrote the file: its executable is
   * {@code postgres} and it started when the file says (a reused pid started later).
   */
  boolean isRunning() {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    ProcessHandle.Info info = process.get().info();
    Optional<String> command = info.command();
    if (command.isPresent() && !Path.of(command.get()).getFileName().toString().startsWith("postgres")) {
      return false;
    }
    Optional<Instant> started = info.startInstant();
    if (started.isPresent()) {
      return Duration.between(startedAt, started.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }
    // No start time from this platform: fall back on the command line naming the directory.
    return info.arguments().map(args -> List.of(args).contains(dataDirectory.toString())).orElse(false);
  }

  /**
   * Stops the server with a fast shutdown (SIGINT: sessions are ended, their open transactions
   * roll back, a checkpoint is written) and waits for the process to exit. Whatever it had
   * committed is on disk either way; the fast mode only avoids waiting for sessions whose clients
   * are gone.
   *
   * @throws StorageException when it is still running after {@code timeout}
   */
  void stop(Duration timeout) {
    ProcessHandle process = ProcessHandle.of(pid).orElse(null);
    if (process == null) {
      return;
    }
    if (!signal("INT")) {
      process.destroy(); // SIGTERM, a "smart" shutdown: it waits for the sessions to end
    }
    // The server removes its pid file as the last step of its shutdown; after that the directory
    // is free even while the exited process waits to be reaped (its parent, init, may be slow).
    Path pidFile = dataDirectory.resolve(PID_FILE);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && read(dataDirectory).filter(this::equals).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new StorageException("the PostgreSQL left running on " + dataDirectory + " (pid " + pid
            + ") did not stop within " + timeout.toSeconds() + " s; stop it (its pid file: " + pidFile + "), then start again", null);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted while stopping the PostgreSQL left running on " + dataDirectory, e);
      }
    }
  }

  /** Sends a signal with the system's {@code kill}; false when that could not be done. */
  private boolean signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
