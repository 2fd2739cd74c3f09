package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code POST /v1/consume/batch}.
 *
 * @param results one per request, in the order of the requests
 */
public record BatchResponse(List<BatchResult> results) {}
