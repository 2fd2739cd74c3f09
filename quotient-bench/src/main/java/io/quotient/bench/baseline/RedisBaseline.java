package io.quotient.bench.baseline;

import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import io.quotient.bench.report.Table;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Redis baseline: {@code redis-baseline/run.sh} (one atomic Lua script per consume,
 * redis-benchmark). Runs against the local Redis as it is configured (usually no persistence) and,
 * for a fair durable comparison, against a second {@code redis-server} this class starts with
 * {@code --appendonly yes --appendfsync always} in a temporary directory. Not thread-safe.
 */
public final class RedisBaseline {
  private static final Pattern RPS = Pattern.compile("([\\d.]+) requests per second(?:, p50=([\\d.]+) msec)?");

  private final Path script;

  /** @param baselines the shared {@code bench} directory holding {@code redis-baseline/run.sh} */
  public RedisBaseline(Path baselines) {
    this.script = baselines.resolve("redis-baseline/run.sh");
  }

  /** True when a Redis answers on {@code port} and redis-benchmark is installed. */
  public static boolean answers(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] buf = new byte[16];
      int n = socket.getInputStream().read(buf);
      return n > 0 && new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("+PONG")
          && Commands.available("redis-benchmark");
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code appendonly}/{@code appendfsync} setting of the Redis on {@code port}, for the table. */
  public static String persistence(int port) {
    try {
      String aof = Commands.run(List.of("redis-cli", "-p", Integer.toString(port), "CONFIG", "GET", "appendonly"), null, Duration.ofSeconds(10));
      String fsync = Commands.run(List.of("redis-cli", "-p", Integer.toString(port), "CONFIG", "GET", "appendfsync"), null, Duration.ofSeconds(10));
      String on = aof.strip().endsWith("yes") ? "appendonly yes" : "appendonly no";
      return on + ", appendfsync " + fsync.strip().lines().reduce((a, b) -> b).orElse("?");
    } catch (IOException | InterruptedException e) {
      return "persistence unknown";
    }
  }

  /** Runs the script against {@code port}: {@code clients} clients, {@code requests} requests. */
  public Row run(int port, String name, Shape shape, int clients, long requests, String note)
      throws IOException, InterruptedException {
    String out =
        Commands.run(
            List.of("bash", script.toString(), Integer.toString(port), shape == Shape.HOT ? "HOT" : "SPREAD",
                Integer.toString(clients), Long.toString(requests)),
            null,
            Duration.ofMinutes(5));
    Matcher m = RPS.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("redis baseline printed no requests per second:\n" + out);
    }
    double p50 = m.group(2) == null ? Double.NaN : Double.parseDouble(m.group(2));
    return new Row(name, shape, Integer.toString(clients), Double.parseDouble(m.group(1)), p50, Double.NaN,
        Double.NaN, requests, -1, "-", true, note);
  }

  /**
   * A throwaway {@code redis-server} with {@code appendfsync always}: every write is fsynced
   * before it is answered, as durable as a PostgreSQL commit.
   */
  public static final class DurableServer implements AutoCloseable {
    private final Process process;
    private final Path directory;
    private final int port;

    private DurableServer(Process process, Path directory, int port) {
      this.process = process;
      this.directory = directory;
      this.port = port;
    }

    /** Starts one on {@code port}, data in a new temporary directory; waits until it answers. */
    public static DurableServer start(int port) throws IOException, InterruptedException {
      Path dir = Files.createTempDirectory("quotient-bench-redis");
      Process process =
          new ProcessBuilder(
                  "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--appendonly", "yes",
                  "--appendfsync", "always", "--save", "", "--dir", dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      DurableServer server = new DurableServer(process, dir, port);
      for (int i = 0; i < 100; i++) {
        if (answers(port)) {
          return server;
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      server.close();
      throw new IOException("redis-server --appendfsync always did not start on port " + port
          + "; see " + dir.resolve("redis.log"));
    }

    /** The port it listens on. */
    public int port() {
      return port;
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The note for a row: what was measured and its durability. */
  public static String note(String persistence) {
    return String.format(Locale.ROOT, "redis-benchmark; %s", persistence);
  }

  /** Name prefixes for the two kinds of run. */
  public static String name(boolean durable) {
    return durable ? Table.REDIS_DURABLE : Table.REDIS_MEMORY;
  }
}
