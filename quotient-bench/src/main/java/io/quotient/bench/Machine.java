package io.quotient.bench;

import io.quotient.bench.audit.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * The CPU time (user and system, nanoseconds) this process has used so far: the engine's writers,
   * the monitor's projections, the callers, JIT and GC alike.
   */
  public static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /**
   * The CPU time (user and system, nanoseconds, in 10 ms ticks) every {@code postgres} process of
   * this machine has used so far, with what its exited children used ({@code cutime}, {@code
   * cstime}); -1 where there is no {@code /proc} or PostgreSQL runs elsewhere (no such process).
   * The backends of a bench's pool live through its measurement window, so the difference over the
   * window is PostgreSQL's work for the load.
   */
  public static long postgresCpuNanos() {
    long ticks = 0;
    boolean found = false;
    try (java.util.stream.Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        String pid = process.getFileName().toString();
        if (pid.isEmpty() || !Character.isDigit(pid.charAt(0))) {
          continue;
        }
        try {
          String stat = Files.readString(process.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (!stat.substring(open + 1, close).equals("postgres")) {
            continue;
          }
          // After the command: state is field 0, utime 11, stime 12, cutime 13, cstime 14 (proc(5)).
          String[] fields = stat.substring(close + 2).split(" ");
          for (int i = 11; i <= 14; i++) {
            ticks += Long.parseLong(fields[i]);
          }
          found = true;
        } catch (IOException | RuntimeException e) {
          // the process ended while being read: its time is in its parent's cutime now
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return found ? ticks * 10_000_000L : -1;
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
