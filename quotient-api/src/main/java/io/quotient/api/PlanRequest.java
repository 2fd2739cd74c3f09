package io.quotient.api;

import java.util.Map;

/**
 * The body of {@code PUT /v1/plans/{name}}: the plan's limits by metric.
 *
 * @param limits the limit of each metric
 */
public record PlanRequest(Map<String, Plan.Limit> limits) {}
