package io.quotient.monitor.projection;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps that drop their eldest entry past a capacity: the projector's memories are all bounded. */
final class Bounded {
  private Bounded() {}

  /**
   * A map of at most {@code capacity} entries that drops the least recently used (with
   * {@code byUse}) or the first inserted (without). Not thread-safe.
   */
  static <K, V> Map<K, V> map(int capacity, boolean byUse) {
    return new LinkedHashMap<>(16, 0.75f, byUse) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
