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

  /** The 1-minute load average from {@code /proc/loadavg}, or 0 when it cannot be read. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d cores (%s), %d GB RAM, %s; PostgreSQL %s on loopback (%s)",
        cores, cpu, memoryGb, java, postgres, durability);
  }
}
