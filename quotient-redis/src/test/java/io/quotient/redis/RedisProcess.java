package io.quotient.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server this test starts itself (the binary on the PATH), on a free loopback port, with
 * no persistence: stopping and starting it is an outage and an empty Redis, never the system's one.
 */
public final class RedisProcess implements AutoCloseable {
  final int port;
  private final Path dir;
  private final List<String> extra;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extra) {
    this.port = port;
    this.dir = dir;
    this.extra = extra;
  }

  /** Starts one on a free port, with {@code extra} arguments for redis-server; waits until it listens. */
  public static RedisProcess launch(String... extra) {
    try {
      RedisProcess redis = new RedisProcess(freePort(), Files.createTempDirectory("quotient-redis"), List.of(extra));
      redis.start();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts one that speaks TLS only, on a free port, with this certificate and key (clients are
   * not asked for certificates).
   */
  static RedisProcess launchTls(Path cert, Path key) {
    return launch("--port", "0", "--tls-port", "PORT", "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
        "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no");
  }

  /** Its {@code rediss://} URL, for one started by {@link #launchTls}; the self-signed certificate is not verified. */
  String tlsUrl() {
    return "rediss://127.0.0.1:" + port + "?verifyPeer=NONE";
  }

  /** Its {@code redis://} URL. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts it again on the same port (empty: it keeps nothing). */
  public void start() {
    List<String> command = new ArrayList<>(List.of(
        "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString()));
    for (String arg : extra) {
      command.add(arg.equals("PORT") ? Integer.toString(port) : arg);
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it on the PATH?)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }

  /** Stops it (SIGTERM, then SIGKILL after 10 s): an outage for whoever uses it. */
  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Runs redis-cli with {@code args} and returns its output. */
  static String cli(String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli"));
    command.addAll(List.of(args));
    try {
      Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(cli.getInputStream().readAllBytes());
      if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
        throw new IllegalStateException("redis-cli " + args + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
