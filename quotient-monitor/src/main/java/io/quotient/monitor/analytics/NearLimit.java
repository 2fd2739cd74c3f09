package io.quotient.monitor.analytics;

import java.time.Instant;
import java.util.List;

/**
 * A subject × metric at or past a share of its limit in the current window.
 *
 * @param subject the subject
 * @param metric the metric
 * @param used units used and held
 * @param limit the limit
 * @param percent {@code used} as a percentage of {@code limit} (100 for a 0 limit)
 * @param resetsAt when the window ends; null for {@code total}
 */
public record NearLimit(String subject, String metric, long used, long limit, double percent, Instant resetsAt) {

  /**
   * A page, highest share first.
   *
   * @param items the entries
   * @param nextOffset the offset of the next page; null on the last
   */
  public record Page(List<NearLimit> items, Integer nextOffset) {
    public Page {
      items = List.copyOf(items);
    }
  }
}
