package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/analytics/top}: the subjects using the most of one metric in their
 * current window, most first.
 *
 * @param metric the metric
 * @param items the subjects
 */
public record TopConsumers(String metric, List<Item> items) {

  /**
   * One subject.
   *
   * @param subject the subject
   * @param used units used and held
   * @param limit the limit; null when unlimited
   * @param percent {@code used} as a percentage of {@code limit}; null when unlimited
   * @param resetsAt when the window ends; null for {@code total}
   */
  public record Item(String subject, long used, Long limit, Double percent, Instant resetsAt) {}
}
