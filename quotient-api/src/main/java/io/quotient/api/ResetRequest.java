package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /v1/subjects/{id}/reset} (optional).
 *
 * @param metric the metric whose current window starts again from zero; null for every metric
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResetRequest(String metric) {}
