package io.quotient.api;

import java.time.Instant;

/**
 * A grant of bonus units: the answer of {@code POST /v1/subjects/{id}/grants}.
 *
 * @param id the grant's id
 * @param subject the subject
 * @param metric the metric
 * @param amount units granted
 * @param used units used so far
 * @param remaining units left (ignoring expiry)
 * @param expiresAt when it ends; null for never
 * @param reason why it was given; may be null
 * @param createdAt when it was granted
 */
public record Grant(
    String id, String subject, String metric, long amount, long used, long remaining, Instant expiresAt,
    String reason, Instant createdAt) {}
