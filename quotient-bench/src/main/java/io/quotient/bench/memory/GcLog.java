package io.quotient.bench.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a unified JVM GC log ({@code -Xlog:gc:file=…}) as it grows: each collection's uptime and
 * the heap in use after it. Not thread-safe.
 */
final class GcLog {
  private static final Pattern PAUSE =
      Pattern.compile("^\\[([\\d.]+)s\\].*GC\\(\\d+\\) Pause.* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /**
   * One collection.
   *
   * @param uptimeSeconds when, in the server's uptime
   * @param afterMb heap in use after it, MB
   * @param committedMb heap committed, MB
   * @param full true for a full collection (after it, the heap holds only live objects)
   */
  record Collection(double uptimeSeconds, double afterMb, double committedMb, boolean full) {}

  private final Path file;
  private int linesRead;

  GcLog(Path file) {
    this.file = file;
  }

  /** The collections logged since the last call. */
  List<Collection> next() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Collection> found = new ArrayList<>();
    for (int i = linesRead; i < lines.size(); i++) {
      Matcher m = PAUSE.matcher(lines.get(i));
      if (m.find()) {
        found.add(new Collection(Double.parseDouble(m.group(1)), mb(m.group(4), m.group(5)), mb(m.group(6), m.group(7)),
            lines.get(i).contains("Pause Full")));
      }
    }
    linesRead = lines.size();
    return found;
  }

  private static double mb(String number, String unit) {
    double n = Double.parseDouble(number);
    return switch (unit) {
      case "K" -> n / 1024;
      case "G" -> n * 1024;
      default -> n;
    };
  }
}
