package io.quotient.api;

import java.util.List;

/**
 * A subject's risk: the answer of {@code GET /v1/subjects/{id}/risk}, and an element of
 * {@code GET /v1/risk}.
 *
 * @param subject the subject
 * @param score 0 to 100: the sum of its recent signals' shares, capped; 0 with none
 * @param band {@code none} (0), {@code low} (1–29), {@code medium} (30–59), {@code high} (60–79),
 *     {@code critical} (80–100)
 * @param signals the signals that make the score, the highest share first
 */
public record Risk(String subject, int score, String band, List<RiskSignal> signals) {}
