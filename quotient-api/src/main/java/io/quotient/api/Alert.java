package io.quotient.api;

import java.time.Instant;

/**
 * One threshold crossed by a subject's usage of a metric in a window.
 *
 * @param id the alert's id
 * @param subject the subject
 * @param metric the metric
 * @param threshold the percentage crossed
 * @param level {@code warning}, {@code critical} or {@code exceeded}
 * @param state {@code firing} or {@code resolved}
 * @param windowStart the window it was crossed in
 * @param resetsAt when that window ends; null for {@code total}
 * @param used units used in the window when it fired
 * @param limit the limit when it fired
 * @param triggeredAt when the decision that crossed it happened
 * @param resolvedAt when it resolved; null while firing
 * @param resolvedReason why it resolved ({@code refund}, {@code grant}, {@code reset}, {@code plan_changed},
 *     {@code released}, {@code expired}, {@code committed}, {@code window_ended}); null while firing
 */
public record Alert(
    String id, String subject, String metric, int threshold, String level, String state, Instant windowStart,
    Instant resetsAt, long used, long limit, Instant triggeredAt, Instant resolvedAt, String resolvedReason) {}
