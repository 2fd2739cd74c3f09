package io.quotient.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's settings, from the command line.
 *
 * @param duration measured time per scenario
 * @param warmup unmeasured time before each scenario's measurement
 * @param quick a short run that shows everything works (1 s per scenario, JMH included in {@code all})
 * @param callers the concurrencies of the engine's closed-loop scenarios
 * @param httpCallers the connections of the HTTP single-consume scenarios
 * @param batchCallers the connections of the HTTP batch scenarios
 * @param databaseUrl the PostgreSQL, as a {@code postgresql://} URL that psql and pgbench accept too
 * @param redisPort the local Redis for the baseline; 0 to skip it
 * @param durableRedisPort a port for the {@code appendfsync always} Redis the suite starts; 0 to skip it
 * @param baselines the shared {@code bench} directory with {@code seed-baseline/} and {@code redis-baseline/}
 * @param serverJar the server's runnable jar, or null to look for it under {@code quotient-server/target}
 * @param soak how long the memory mode runs the server under load
 * @param writers the engine's writers (batches in flight)
 * @param poolSize the engine's connection pool size
 * @param keepSchemas keep each scenario's schema instead of dropping it after the audit
 */
public record Options(
    Duration duration,
    Duration warmup,
    boolean quick,
    List<Integer> callers,
    List<Integer> httpCallers,
    List<Integer> batchCallers,
    String databaseUrl,
    int redisPort,
    int durableRedisPort,
    Path baselines,
    Path serverJar,
    Duration soak,
    int writers,
    int poolSize,
    boolean keepSchemas) {

  /** The usage text. */
  public static final String USAGE =
      """
      usage: bench/run [all|engine|monitor|http|baselines|open|memory|jmh] [options]
        all         baselines, engine, http and open-loop scenarios, one table (default)
        engine      the engine in process: 16/64/256 callers, spread and hot, and the capped subject
        monitor     engine consume throughput with the monitor off and on (off, on, off, on), and the ratio
        http        the server over HTTP: single and batch consumes, spread and hot
        baselines   the seeds' design (pgbench) and Redis (redis-benchmark) only
        open        open-loop latency at half the measured peak (measures the peak first)
        memory      the server with -Xmx512m under load for --soak, heap after GC every 10 s
        jmh         the JMH benchmark of the decision logic (extra arguments go to JMH)
      options:
        --duration 10s     measured time per scenario        --warmup 3s   warm-up per scenario
        --quick            1 s per scenario, 1 s warm-up      --callers 16,64,256 (engine)
        --http-callers 64  connections for single consumes    --batch-callers 16  for batches
        --db URL           postgresql://postgres@127.0.0.1:5432/postgres (or QUOTIENT_BENCH_DATABASE_URL)
        --redis-port 6379  0 skips the Redis baselines        --durable-redis-port 6390 (0 skips it)
        --baselines DIR    the shared bench directory (default ../shared/bench)
        --server-jar JAR   default: quotient-server/target/quotient-server*.jar
        --soak 10m         memory mode's length               --writers N  --pool N
        --keep-schemas     keep each scenario's schema for inspection
      """;

  /** Parses the options after the mode; fails naming the bad option. */
  public static Options parse(List<String> args) {
    Duration duration = Duration.ofSeconds(10);
    Duration warmup = Duration.ofSeconds(3);
    boolean quick = false;
    boolean durationSet = false;
    boolean warmupSet = false;
    List<Integer> callers = List.of(16, 64, 256);
    List<Integer> httpCallers = List.of(64);
    List<Integer> batchCallers = List.of(16);
    String env = System.getenv("QUOTIENT_BENCH_DATABASE_URL");
    String db = env == null || env.isBlank() ? "postgresql://postgres@127.0.0.1:5432/postgres" : env;
    int redisPort = 6379;
    int durableRedisPort = 6390;
    Path baselines = Path.of("..", "shared", "bench");
    if (!Files.isDirectory(baselines) && Files.isDirectory(Path.of("/work/shared/bench"))) {
      baselines = Path.of("/work/shared/bench");
    }
    Path serverJar = null;
    Duration soak = Duration.ofMinutes(10);
    int writers = 0;
    int pool = 0;
    boolean keep = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--quick" -> quick = true;
        case "--keep-schemas" -> keep = true;
        case "--duration" -> {
          duration = duration(value(args, ++i, arg), arg);
          durationSet = true;
        }
        case "--warmup" -> {
          warmup = duration(value(args, ++i, arg), arg);
          warmupSet = true;
        }
        case "--callers" -> callers = list(value(args, ++i, arg), arg);
        case "--http-callers" -> httpCallers = list(value(args, ++i, arg), arg);
        case "--batch-callers" -> batchCallers = list(value(args, ++i, arg), arg);
        case "--db" -> db = value(args, ++i, arg);
        case "--redis-port" -> redisPort = Integer.parseInt(value(args, ++i, arg));
        case "--durable-redis-port" -> durableRedisPort = Integer.parseInt(value(args, ++i, arg));
        case "--baselines" -> baselines = Path.of(value(args, ++i, arg));
        case "--server-jar" -> serverJar = Path.of(value(args, ++i, arg));
        case "--soak" -> soak = duration(value(args, ++i, arg), arg);
        case "--writers" -> writers = positive(value(args, ++i, arg), arg);
        case "--pool" -> pool = positive(value(args, ++i, arg), arg);
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (quick) {
      duration = durationSet ? duration : Duration.ofSeconds(1);
      warmup = warmupSet ? warmup : Duration.ofSeconds(1);
    }
    return new Options(duration, warmup, quick, callers, httpCallers, batchCallers, db, redisPort, durableRedisPort, baselines, serverJar, soak,
        writers, pool, keep);
  }

  private static List<Integer> list(String text, String option) {
    List<Integer> list = new ArrayList<>();
    for (String part : text.split(",")) {
      list.add(positive(part, option));
    }
    return List.copyOf(list);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static int positive(String text, String option) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n <= 0) {
        throw new IllegalArgumentException(option + " must be greater than 0, was " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, was '" + text + "'", e);
    }
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 10m} or a plain number of seconds. */
  static Duration duration(String text, String option) {
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      if (text.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must look like 500ms, 10s or 10m, was '" + text + "'", e);
    }
  }
}
