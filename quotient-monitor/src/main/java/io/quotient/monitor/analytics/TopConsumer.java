package io.quotient.monitor.analytics;

import java.time.Instant;

/**
 * A subject among those using the most of one metric in their current window.
 *
 * @param subject the subject
 * @param metric the metric
 * @param used units used and held
 * @param limit the limit; null when unlimited
 * @param percent {@code used} as a percentage of {@code limit}; null when unlimited
 * @param resetsAt when the window ends; null for {@code total}
 */
public record TopConsumer(String subject, String metric, long used, Long limit, Double percent, Instant resetsAt) {}
