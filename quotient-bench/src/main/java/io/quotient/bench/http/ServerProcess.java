package io.quotient.bench.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Quotient server as a child process: {@code java -Xmx512m -jar quotient-server.jar serve} on
 * a free port, its database given by {@code QUOTIENT_DATABASE_URL} and {@code QUOTIENT_DATABASE_SCHEMA}, its
 * admin key by
 * {@code QUOTIENT_BOOTSTRAP_ADMIN_KEY}. Output goes to a log file. Closing it sends SIGTERM (the
 * server finishes its batches in flight) and waits. Not thread-safe.
 */
public final class ServerProcess implements AutoCloseable {
  /** The heap every benchmarked server runs with. */
  public static final String HEAP = "-Xmx512m";
  /** The environment variable with more JVM options for the server (a JFR recording, say). */
  public static final String EXTRA_OPTIONS = "BENCH_SERVER_JAVA_OPTS";

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the server from {@code jar} and waits until {@code /health/ready} answers 200.
   *
   * @param databaseUrl the PostgreSQL ({@code QUOTIENT_DATABASE_URL})
   * @param schema the fresh schema on it ({@code QUOTIENT_DATABASE_SCHEMA})
   * @param adminKey the bootstrap admin key
   * @param settings more {@code QUOTIENT_*} settings (plans file, default plan)
   * @param jvmArgs extra JVM arguments (GC logging for the memory soak)
   */
  public static ServerProcess start(Path jar, String databaseUrl, String schema, String adminKey,
      Map<String, String> settings, List<String> jvmArgs, Path log)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add(HEAP);
    String extra = System.getenv(EXTRA_OPTIONS);
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.strip().split("\\s+")));
    }
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toString());
    command.add("serve");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("QUOTIENT_PORT", Integer.toString(port));
    env.put("QUOTIENT_HOST", "127.0.0.1");
    env.put("QUOTIENT_DATABASE_URL", databaseUrl);
    env.put("QUOTIENT_DATABASE_SCHEMA", schema);
    env.put("QUOTIENT_BOOTSTRAP_ADMIN_KEY", adminKey);
    env.put("QUOTIENT_DATA_DIR", Files.createTempDirectory("quotient-bench-data").toString());
    env.remove("QUOTIENT_PLANS_FILE");
    env.remove("QUOTIENT_CONFIG");
    env.putAll(settings);
    ServerProcess server = new ServerProcess(builder.start(), port, log);
    server.awaitReady(Duration.ofSeconds(120));
    return server;
  }

  /**
   * Starts the {@linkplain JettyFloor HTTP floor} from this suite's own jar, with the server's heap
   * and {@value #EXTRA_OPTIONS}, and waits until it answers.
   */
  public static ServerProcess startFloor(Path log) throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add(HEAP);
    String extra = System.getenv(EXTRA_OPTIONS);
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.strip().split("\\s+")));
    }
    command.add("-cp");
    try {
      command.add(Path.of(JettyFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    } catch (java.net.URISyntaxException e) {
      throw new IOException("cannot find the suite's own jar", e);
    }
    command.add(JettyFloor.class.getName());
    command.add(Integer.toString(port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    ServerProcess floor = new ServerProcess(builder.start(), port, log);
    floor.awaitReady(Duration.ofSeconds(60));
    return floor;
  }

  /**
   * The CPU time the process has used so far, user and system, in nanoseconds (all its threads:
   * request handling, the engine's writers, JIT compilers and GC).
   */
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos)
        .orElseThrow(() -> new IllegalStateException("the CPU time of process " + process.pid() + " is not readable"));
  }

  /**
   * The system (kernel) part of {@link #cpuNanos}, from {@code /proc/PID/stat} ({@code stime}, in
   * the 10 ms ticks Linux reports to user space); -1 where there is no {@code /proc}.
   */
  public long systemCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces: state is the
      // first, stime (field 15 of proc(5)) the thirteenth.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[12]) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The CPU time its JIT compiler threads have used so far (user and system, from each thread's
   * {@code /proc/PID/task/TID/stat}, in 10 ms ticks); -1 where there is no {@code /proc}. On two
   * cores the server's C1 and C2 compilers went on taking half a core or more for a minute after a
   * 15 s warm-up, and the scenarios measured then measured them.
   */
  public long compilerCpuNanos() {
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    long ticks = 0;
    try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
      for (Path task : threads.toList()) {
        try {
          if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) { // "C2 CompilerThre", "C1 …"
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
          // the thread ended between the listing and the read: its time is not counted
        }
      }
      return ticks * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Its process id (for jcmd). */
  public long pid() {
    return process.pid();
  }

  /** Its log file. */
  public Path log() {
    return log;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (HttpConnection c = new HttpConnection("127.0.0.1", port, null)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("the server exited with " + process.exitValue() + " before it was ready:\n" + tail());
        }
        try {
          if (c.exchange("GET", "/health/ready", null) == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet; the connection has closed itself and reconnects on the next try
        }
        Thread.sleep(200);
      }
    }
    stop();
    throw new IOException("the server was not ready within " + timeout + ":\n" + tail());
  }

  /** The last lines of its log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** SIGKILL: the process dies at once, whatever it was doing (a batch in flight included). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within a minute. */
  private void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
