package io.quotient.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The suite's one table. Each scenario row gets its ratio to the seeds' baseline and to the Redis
 * baseline of the same shape (spread or hot) measured in the same run; the durable Redis baseline
 * ({@code appendfsync always}) is preferred when it ran. Not thread-safe.
 */
public final class Table {
  /** Scenario name prefix of the seeds' baseline rows. */
  public static final String SEED = "seeds' PL/pgSQL";
  /** Scenario name prefix of the durable Redis baseline rows. */
  public static final String REDIS_DURABLE = "redis lua aof-always";
  /** Scenario name prefix of the in-memory Redis baseline rows. */
  public static final String REDIS_MEMORY = "redis lua no-persist";

  private final List<Row> rows = new ArrayList<>();

  /** Adds a row at the end. */
  public void add(Row row) {
    rows.add(row);
  }

  /** The rows so far. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Prints the table (Markdown, so it can be pasted as is). */
  public void print(PrintStream out) {
    String[] header = {
      "scenario", "callers", "decisions/s", "p50 ms", "p99 ms", "p99.9 ms", "granted", "denied", "x seeds", "x redis", "audit", "note"
    };
    List<String[]> lines = new ArrayList<>();
    lines.add(header);
    for (Row row : rows) {
      lines.add(
          new String[] {
            row.scenario() + " " + row.shape().label(),
            row.callers(),
            String.format(Locale.ROOT, "%,.0f", row.decisionsPerSecond()),
            millis(row.p50Millis()),
            millis(row.p99Millis()),
            millis(row.p999Millis()),
            count(row.granted()),
            count(row.denied()),
            row.baseline() ? "" : ratio(row, r -> r.scenario().startsWith(SEED)),
            row.baseline() ? "" : ratio(row, this::isPreferredRedis),
            row.audit(),
            row.note() == null ? "" : row.note()
          });
    }
    int[] widths = new int[header.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (int l = 0; l < lines.size(); l++) {
      StringBuilder sb = new StringBuilder("|");
      for (int i = 0; i < header.length; i++) {
        String cell = lines.get(l)[i];
        boolean right = i >= 1 && i <= 9;
        sb.append(' ').append(right ? pad(cell, widths[i], true) : pad(cell, widths[i], false)).append(" |");
      }
      out.println(sb);
      if (l == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < header.length; i++) {
          boolean right = i >= 1 && i <= 9;
          rule.append(right ? " " + "-".repeat(widths[i] - 1) + ": |" : " " + "-".repeat(widths[i]) + " |");
        }
        out.println(rule);
      }
    }
  }

  private boolean isPreferredRedis(Row row) {
    boolean durableRan = rows.stream().anyMatch(r -> r.scenario().startsWith(REDIS_DURABLE));
    return row.scenario().startsWith(durableRan ? REDIS_DURABLE : REDIS_MEMORY);
  }

  private String ratio(Row row, Predicate<Row> isBaseline) {
    return rows.stream()
        .filter(Row::baseline)
        .filter(isBaseline)
        .filter(b -> b.shape() == row.shape())
        .findFirst()
        .map(b -> String.format(Locale.ROOT, "%.1fx", row.decisionsPerSecond() / b.decisionsPerSecond()))
        .orElse("");
  }

  private static String millis(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
  }

  private static String count(long value) {
    return value < 0 ? "" : String.format(Locale.ROOT, "%,d", value);
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(Math.max(0, width - s.length()));
    return right ? spaces + s : s + spaces;
  }
}
