package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /v1/subjects/{id}/tokens} (optional).
 *
 * @param ttlSeconds how long the token lasts, 1 to 86400 seconds; null for 900
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenRequest(Long ttlSeconds) {}
