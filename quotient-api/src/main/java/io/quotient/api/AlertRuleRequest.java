package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code PUT /v1/alert-rules/{name}}.
 *
 * @param plan the plan the rule applies to; null (absent) for every plan
 * @param metric the metric it applies to; null (absent) for every metric
 * @param thresholds percentages of the allowance (1 to 1000), 1 to 10 of them, distinct
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRuleRequest(String plan, String metric, List<Integer> thresholds) {}
