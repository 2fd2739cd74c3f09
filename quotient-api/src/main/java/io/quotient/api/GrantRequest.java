package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The body of {@code POST /v1/subjects/{id}/grants}: bonus units of one metric.
 *
 * @param metric the metric
 * @param amount the units, 1 to 2^53
 * @param expiresAt when the grant ends; null for never
 * @param reason why it was given, at most 500 characters; may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrantRequest(String metric, long amount, Instant expiresAt, String reason) {}
