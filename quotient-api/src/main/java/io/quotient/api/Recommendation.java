package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/subjects/{id}/recommendation}: when the subject's plan will not
 * hold its projected usage with 20% headroom, the cheapest priced plan (same currency, monthly
 * price, then name) that holds it for every metric.
 *
 * @param subject the subject
 * @param action {@code stay}, {@code upgrade}, or {@code none} (no priced plan holds it)
 * @param currentPlan the subject's plan
 * @param currentPrice its price; null when none is set
 * @param recommendedPlan the plan to move to; null unless {@code upgrade}
 * @param recommendedPrice its price; null unless {@code upgrade}
 * @param upgradeUrl the recommended plan's link, else the deployment's; null when neither or no plan
 * @param urgent true when some metric runs out before its window resets at the current pace
 * @param enoughData false when some metric has under 7 complete days of history
 * @param reasons one per metric of the current plan
 */
public record Recommendation(
    String subject, String action, String currentPlan, Plan.PlanPrice currentPrice, String recommendedPlan,
    Plan.PlanPrice recommendedPrice, String upgradeUrl, boolean urgent, boolean enoughData, List<Reason> reasons) {

  /**
   * One metric's case.
   *
   * @param metric the metric
   * @param projected usage expected at the window's end
   * @param required the projection with 20% headroom, rounded up
   * @param currentLimit the current plan's limit; null when unlimited
   * @param recommendedLimit the recommended plan's; null when unlimited or none is recommended
   * @param fits whether the current plan holds {@code required}
   * @param daysUntilLimit whole days until the limit at the current pace; null when not before the reset
   */
  public record Reason(
      String metric, long projected, long required, Long currentLimit, Long recommendedLimit, boolean fits,
      Long daysUntilLimit) {}
}
