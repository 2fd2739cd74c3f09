package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/analytics/distribution}: how many subjects use how much of one
 * metric's limit in their current window, in bands of 10% and one at or past 100%. Idle subjects
 * on a plan limiting the metric count in the first band; unlimited ones are left out.
 *
 * @param metric the metric
 * @param bands eleven bands, lowest first
 * @param subjects the subjects counted
 */
public record UsageDistribution(String metric, List<Band> bands, long subjects) {

  /**
   * One band.
   *
   * @param from its lowest percentage
   * @param to the percentage it ends below; null for the last (100% and more)
   * @param subjects how many subjects are in it
   */
  public record Band(int from, Integer to, long subjects) {}
}
