package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The body of {@code PUT /v1/plans/{name}}: the plan's limits by metric.
 *
 * @param limits the limit of each metric
 * @param price what the plan costs; may be null
 * @param upgradeUrl where a subject upgrades to this plan (absolute http or https); may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanRequest(Map<String, Plan.Limit> limits, Plan.PlanPrice price, String upgradeUrl) {

  /** A plan request with limits only. */
  public PlanRequest(Map<String, Plan.Limit> limits) {
    this(limits, null, null);
  }
}
