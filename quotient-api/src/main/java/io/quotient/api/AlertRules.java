package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/alert-rules}.
 *
 * @param rules every rule, by name
 * @param defaultThresholds the thresholds where no rule applies: 80, 95, 100
 */
public record AlertRules(List<AlertRule> rules, List<Integer> defaultThresholds) {}
