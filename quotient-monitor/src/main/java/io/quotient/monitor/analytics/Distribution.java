package io.quotient.monitor.analytics;

import java.util.List;

/**
 * How many subjects use how much of one metric's limit in their current window: ten bands of 10%
 * ({@code [0,10)} … {@code [90,100)}) and one at or past 100%. Subjects on a plan that limits the
 * metric but with no use in their current window count in the first band; unlimited ones are left
 * out.
 *
 * @param metric the metric
 * @param bands eleven bands, lowest first
 * @param subjects the subjects counted
 */
public record Distribution(String metric, List<Band> bands, long subjects) {
  public Distribution {
    bands = List.copyOf(bands);
  }

  /**
   * One band.
   *
   * @param from the lowest percentage in it
   * @param to the percentage it ends below; null for the last band (100% and more)
   * @param subjects how many subjects are in it
   */
  public record Band(int from, Integer to, long subjects) {}
}
