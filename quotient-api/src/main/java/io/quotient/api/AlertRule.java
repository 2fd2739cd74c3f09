package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * A threshold rule: the answer of {@code PUT} and {@code GET /v1/alert-rules/{name}}.
 *
 * @param name the rule's name
 * @param plan the plan it applies to; null for every plan
 * @param metric the metric it applies to; null for every metric
 * @param thresholds its percentages, ascending
 * @param updatedAt when it was last written
 */
public record AlertRule(String name, String plan, String metric, List<Integer> thresholds, Instant updatedAt) {}
