package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/analytics/near-limit}: subjects × metrics at or past a share of
 * their limit in the current window, highest share first.
 *
 * @param items the entries
 * @param nextOffset the {@code offset} of the next page; null on the last
 */
public record NearLimitPage(List<Item> items, Integer nextOffset) {

  /**
   * One subject × metric.
   *
   * @param subject the subject
   * @param metric the metric
   * @param used units used and held
   * @param limit the limit
   * @param percent {@code used} as a percentage of {@code limit}
   * @param resetsAt when the window ends; null for {@code total}
   */
  public record Item(String subject, String metric, long used, long limit, double percent, Instant resetsAt) {}
}
