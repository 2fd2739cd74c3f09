package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/subjects/{id}/grants}.
 *
 * @param grants the subject's grants, newest first
 */
public record Grants(List<Grant> grants) {}
