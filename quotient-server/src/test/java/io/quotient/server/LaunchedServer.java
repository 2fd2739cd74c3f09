package io.quotient.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/quotient} run as an operator runs it, in a process of its own, for the tests that
 * stop, kill and restart the server: its output goes to files in the test's directory, and
 * {@link #close} kills whatever is left (the launcher's JVM and any PostgreSQL still running on
 * the data directory), so that a failing test leaves no process behind.
 */
final class LaunchedServer implements AutoCloseable {
  private static final Pattern ADMIN_KEY = Pattern.compile("QUOTIENT_ADMIN_KEY=(\\S+)");
  private static final AtomicInteger RUNS = new AtomicInteger();

  final Process process;
  final Path dataDir;
  final int port;
  private final Path stdout;
  private final Path stderr;

  private LaunchedServer(Process process, Path dataDir, int port, Path stdout, Path stderr) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Runs {@code bin/quotient args…} in {@code dir} on {@code dataDir} and {@code port}, with
   * {@code env} added; in a session (and process group) of its own when {@code ownGroup}.
   */
  static LaunchedServer launch(Path dir, Path dataDir, int port, Map<String, String> env, boolean ownGroup, String... args)
      throws IOException {
    Path root = Path.of(System.getenv("QUOTIENT_REPO_ROOT")).toRealPath();
    List<String> command = new ArrayList<>();
    if (ownGroup) {
      command.add("setsid"); // execs the launcher, which execs java: one pid, leading its own group
    }
    command.add(root.resolve("bin/quotient").toString());
    command.addAll(List.of(args));
    int run = RUNS.incrementAndGet();
    Path stdout = dir.resolve("stdout-" + run + ".txt");
    Path stderr = dir.resolve("stderr-" + run + ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Map<String, String> environment = builder.environment();
    for (String name : List.of("QUOTIENT_DATABASE_URL", "QUOTIENT_CONFIG", "QUOTIENT_PLANS_FILE",
        "QUOTIENT_BOOTSTRAP_ADMIN_KEY", "QUOTIENT_DEFAULT_PLAN", "QUOTIENT_JAVA_OPTS")) {
      environment.remove(name);
    }
    environment.put("QUOTIENT_PORT", Integer.toString(port));
    environment.put("QUOTIENT_DATA_DIR", dataDir.toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.putAll(env);
    return new LaunchedServer(builder.start(), dataDir, port, stdout, stderr);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Waits until {@code /health/ready} answers 200 (true) or the process exits (false). */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // still starting
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    return false;
  }

  /**
   * The settings of a server under load: a plans file whose default plan {@code load} allows a
   * billion units of {@code ai}, so that no caller is ever denied.
   */
  static Map<String, String> loadSettings(Path dir) throws IOException {
    Path plans = dir.resolve("load-plans.json");
    Files.writeString(plans, "{\"plans\":{\"load\":{\"limits\":{\"ai\":{\"limit\":1000000000,\"period\":\"total\"}}}}}");
    return Map.of("QUOTIENT_PLANS_FILE", plans.toString(), "QUOTIENT_DEFAULT_PLAN", "load");
  }

  /** An HTTP call with {@code key}; returns status and body. */
  TestServer.Response call(String method, String path, String key, String json) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .header("Authorization", "Bearer " + key);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new TestServer.Response(response.statusCode(), response.headers(), response.body());
  }

  /** Creates a key with {@code role} through the API with {@code adminKey}; returns the key. */
  String createKey(String adminKey, String role) throws IOException, InterruptedException {
    TestServer.Response created = call("POST", "/v1/keys", adminKey, "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}");
    if (created.status() != 201) {
      throw new IllegalStateException("could not create a key: " + created);
    }
    return created.json().get("key").asText();
  }

  /** The admin key the server printed, if it printed one. */
  Optional<String> printedAdminKey() {
    Matcher matcher = ADMIN_KEY.matcher(read(stdout));
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  /** Both outputs, for assertion messages. */
  String output() {
    return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
  }

  /** Sends SIGTERM (or SIGINT with {@code "INT"}) to the JVM. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("could not send SIG" + name + " to " + process.pid());
    }
  }

  /** SIGKILL to the process group this server leads (started with {@code ownGroup}). */
  void killGroup() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", "KILL", "--", "-" + process.pid()).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("could not kill the process group " + process.pid());
    }
  }

  /** The pid of the PostgreSQL its data directory's pid file names, if the file is there. */
  Optional<Long> postgresPid() {
    return postgresPid(dataDir);
  }

  static Optional<Long> postgresPid(Path dataDir) {
    return pidFileLine(dataDir, 0).map(Long::parseLong);
  }

  /** The port of the PostgreSQL running on its data directory, from the pid file. */
  Optional<Integer> postgresPort() {
    return pidFileLine(dataDir, 3).map(Integer::parseInt);
  }

  private static Optional<String> pidFileLine(Path dataDir, int line) {
    Path pidFile = dataDir.resolve("postgres/postmaster.pid");
    try {
      return Files.exists(pidFile)
          ? Optional.of(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(line).strip())
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Processes (not yet exited) running with {@code dataDir}'s PostgreSQL directory on their command line. */
  static List<ProcessHandle> postgresOn(Path dataDir) {
    String pgData = dataDir.resolve("postgres").toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(args -> List.of(args).contains(pgData)).orElse(false))
        .toList();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops any PostgreSQL left on {@code dataDir} (a test's clean-up after a kill or a failure). */
  static void stopPostgres(Path dataDir) throws InterruptedException {
    for (ProcessHandle postgres : postgresOn(dataDir)) {
      postgres.destroy();
      try {
        postgres.onExit().get(15, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        postgres.destroyForcibly();
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
