package io.quotient.bench;

import io.quotient.bench.audit.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the figures came from: cores, CPU model, memory, JVM, PostgreSQL version and its
 * durability settings.
 *
 * @param cores available processors
 * @param cpu the CPU model from {@code /proc/cpuinfo}
 * @param memoryGb physical memory
 * @param java the JVM running the suite
 * @param postgres PostgreSQL's version
 * @param durability {@code synchronous_commit} and {@code fsync}
 */
public record Machine(int cores, String cpu, long memoryGb, String java, String postgres, String durability) {
  /** Describes this machine and {@code db}. */
  public static Machine describe(Postgres db) {
    String cpu = "unknown CPU";
    long memoryGb = 0;
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse(cpu);
      memoryGb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024)
          .findFirst()
          .orElse(0L);
    } catch (IOException | RuntimeException e) {
      // not Linux: leave the defaults
    }
    String pg;
    String durability;
    try {
      pg = db.setting("server_version");
      durability = "synchronous_commit=" + db.setting("synchronous_commit") + ", fsync=" + db.setting("fsync");
    } catch (Exception e) {
      pg = "unreachable (" + e.getMessage() + ")";
      durability = "?";
    }
    String java = System.getProperty("java.vm.name") + " " + Runtime.version();
    return new Machine(Runtime.getRuntime().availableProcessors(), cpu, memoryGb, java, pg, durability);
  }

  /**
   * The fraction of CPU time (0 to 1) the whole machine spent busy over {@code millis}, from
   * {@code /proc/stat}; NaN when it cannot be read. Measured between steps, while the suite itself
   * is idle, it shows whether other processes are using the machine (a load average would still
   * count the suite's own previous step).
   */
  public static double busyFraction(long millis) {
    try {
      long[] before = cpuTimes();
      Thread.sleep(millis);
      long[] after = cpuTimes();
      long total = after[0] - before[0];
      long idle = after[1] - before[1];
      return total <= 0 ? Double.NaN : (double) (total - idle) / total;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** Total and idle (idle + iowait) jiffies of all CPUs. */
  private static long[] cpuTimes() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d cores (%s), %d GB RAM, %s; PostgreSQL %s on loopback (%s)",
        cores, cpu, memoryGb, java, postgres, durability);
  }
}
