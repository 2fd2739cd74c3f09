package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/plans}.
 *
 * @param plans every plan
 */
public record Plans(List<Plan> plans) {}
