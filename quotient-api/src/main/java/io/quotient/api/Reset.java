package io.quotient.api;

/**
 * The answer of {@code POST /v1/subjects/{id}/reset}.
 *
 * @param eventId the reset's event
 */
public record Reset(String eventId) {}
