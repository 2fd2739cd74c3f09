package io.quotient.bench.baseline;

import io.quotient.bench.report.Row;
import io.quotient.bench.report.Shape;
import io.quotient.bench.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seeds' design: {@code seed-baseline/run.sh} (one SERIALIZABLE PL/pgSQL function per request,
 * up to 10 tries, pgbench) against the same PostgreSQL. Thread-safe (stateless between runs).
 */
public final class SeedBaseline {
  private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+) \\(([\\d.]+)%\\)");
  private static final Pattern RETRIED = Pattern.compile("number of transactions retried: (\\d+)");
  private static final Pattern LATENCY = Pattern.compile("latency average = ([\\d.]+) ms");
  private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+)");

  private final Path script;
  private final String databaseUrl;

  /**
   * @param baselines the shared {@code bench} directory holding {@code seed-baseline/run.sh}
   * @param databaseUrl a {@code postgresql://} URL psql and pgbench accept
   */
  public SeedBaseline(Path baselines, String databaseUrl) {
    this.script = baselines.resolve("seed-baseline/run.sh");
    this.databaseUrl = databaseUrl;
  }

  /** Runs it with {@code users} users (1 = hot) and {@code clients} clients for {@code duration}. */
  public Row run(Shape shape, int users, int clients, Duration duration) throws IOException, InterruptedException {
    String out =
        Commands.run(
            List.of("bash", script.toString(), databaseUrl, Integer.toString(users), Integer.toString(clients),
                Long.toString(Math.max(1, duration.toSeconds()))),
            null,
            duration.plusMinutes(2));
    return parse(out, shape, clients);
  }

  /** Parses run.sh's output into a row; fails naming the output when it has no tps line. */
  static Row parse(String out, Shape shape, int clients) {
    double tps = number(TPS, out, 1);
    if (Double.isNaN(tps)) {
      throw new IllegalStateException("seed baseline printed no tps line:\n" + out);
    }
    long processed = (long) number(PROCESSED, out, 1);
    double failed = number(FAILED, out, 1);
    double failedPercent = number(FAILED, out, 2);
    double retried = number(RETRIED, out, 1);
    double latency = number(LATENCY, out, 1);
    String note =
        String.format(
            Locale.ROOT,
            "pgbench; %,.0f tx failed after 10 tries (%.1f%%), %,.0f retried; avg %.2f ms",
            Double.isNaN(failed) ? 0 : failed,
            Double.isNaN(failedPercent) ? 0 : failedPercent,
            Double.isNaN(retried) ? 0 : retried,
            latency);
    return new Row(
        Table.SEED + " (SERIALIZABLE)",
        shape,
        Integer.toString(clients),
        tps,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        processed,
        Double.isNaN(failed) ? 0 : (long) failed,
        "-",
        true,
        note);
  }

  private static double number(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Double.parseDouble(m.group(group)) : Double.NaN;
  }
}
