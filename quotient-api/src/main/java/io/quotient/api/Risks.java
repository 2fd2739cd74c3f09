package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/risk}.
 *
 * @param subjects the subjects at or above the minimum score, riskiest first
 */
public record Risks(List<Risk> subjects) {}
