package io.quotient.api;

import java.util.Map;

/**
 * A plan: the answer of {@code GET} and {@code PUT /v1/plans/{name}}.
 *
 * @param name the plan's name
 * @param limits the limit of each metric
 * @param price what the plan costs; null when none is set (always written)
 * @param upgradeUrl the plan's own upgrade link; null when the deployment's applies (always written)
 */
public record Plan(String name, Map<String, Limit> limits, PlanPrice price, String upgradeUrl) {

  /** A plan with no price and no upgrade link of its own. */
  public Plan(String name, Map<String, Limit> limits) {
    this(name, limits, null, null);
  }

  /**
   * What a plan costs.
   *
   * @param amount a decimal, as a string ({@code "19.00"})
   * @param currency an ISO 4217 code ({@code USD})
   * @param per {@code month} or {@code year}
   */
  public record PlanPrice(String amount, String currency, String per) {}

  /**
   * One metric's limit, in answers and in {@link PlanRequest}.
   *
   * @param limit the allowance per window, 0 or more; null for unlimited (always written)
   * @param period {@code month}, {@code billing_month}, {@code day}, {@code hour}, {@code total} or {@code concurrent} (units in flight, held by reservations and always returned)
   * @param enforcement {@code hard} (deny past the limit) or {@code soft} (allow, count overage);
   *     in a request, null means {@code hard}
   * @param overagePrice the price of a unit past a soft limit; may be null
   * @param rate the burst rate; may be null
   */
  public record Limit(Long limit, String period, String enforcement, Price overagePrice, Rate rate) {

    /** A hard limit with no price and no rate. */
    public static Limit hard(Long limit, String period) {
      return new Limit(limit, period, "hard", null, null);
    }
  }

  /**
   * A price per unit.
   *
   * @param amount a decimal, as a string ({@code "0.02"})
   * @param currency an ISO 4217 code ({@code USD})
   */
  public record Price(String amount, String currency) {}

  /**
   * A burst rate: a token bucket.
   *
   * @param perSecond tokens added per second
   * @param burst the bucket's size
   */
  public record Rate(long perSecond, long burst) {}
}
