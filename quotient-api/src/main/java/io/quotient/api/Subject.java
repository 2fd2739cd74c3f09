package io.quotient.api;

import java.time.Instant;
import java.util.Map;

/**
 * A subject: the answer of {@code GET} and {@code PUT /v1/subjects/{id}}.
 *
 * @param id the subject's id
 * @param plan its plan's name
 * @param billingAnchor the instant whose day of month starts {@code billing_month} windows
 * @param metadata flat string pairs; empty when none
 */
public record Subject(String id, String plan, Instant billingAnchor, Map<String, String> metadata) {}
