package io.quotient.monitor.analytics;

import io.quotient.plan.PlanPrice;
import java.util.List;
import java.util.Locale;

/**
 * The plan to suggest to a subject: the cheapest plan whose limits hold every metric's projected
 * usage with 20% headroom, when its current plan does not.
 *
 * @param subject the subject
 * @param action what to do
 * @param currentPlan the subject's plan
 * @param currentPrice its price; null when it has none
 * @param recommendedPlan the plan to move to; null unless {@link Action#UPGRADE}
 * @param recommendedPrice its price; null unless {@link Action#UPGRADE}
 * @param upgradeUrl the recommended plan's link, or the deployment's; null when neither is set or
 *     nothing is recommended
 * @param urgent true when some metric's units run out before its window resets at this pace
 * @param enoughData false when some metric has under 7 complete days of history (the projection is
 *     then from a shorter average)
 * @param reasons one per metric of the current plan
 */
public record Recommendation(
    String subject,
    Action action,
    String currentPlan,
    PlanPrice currentPrice,
    String recommendedPlan,
    PlanPrice recommendedPrice,
    String upgradeUrl,
    boolean urgent,
    boolean enoughData,
    List<Reason> reasons) {
  public Recommendation {
    reasons = List.copyOf(reasons);
  }

  /** What the recommendation says. */
  public enum Action {
    /** The current plan holds the projection with headroom. */
    STAY,
    /** Move to {@link Recommendation#recommendedPlan()}. */
    UPGRADE,
    /** No priced plan holds the projection: talk to the provider. */
    NONE;

    /** {@code stay}, {@code upgrade} or {@code none}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One metric's case.
   *
   * @param metric the metric
   * @param projected usage expected at the window's end
   * @param required the projection with 20% headroom, rounded up
   * @param currentLimit the current plan's limit; null when unlimited
   * @param recommendedLimit the recommended plan's limit; null when unlimited or nothing is recommended
   * @param fits true when the current plan holds {@code required}
   * @param daysUntilLimit as in {@link SubjectAnalytics.Metric#daysUntilLimit()}
   */
  public record Reason(
      String metric, long projected, long required, Long currentLimit, Long recommendedLimit, boolean fits,
      Long daysUntilLimit) {}
}
