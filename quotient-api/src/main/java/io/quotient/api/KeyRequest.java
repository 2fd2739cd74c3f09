package io.quotient.api;

/**
 * The body of {@code POST /v1/keys}.
 *
 * @param name a name for people, at most 100 characters
 * @param role {@code admin}, {@code service} or {@code read}
 */
public record KeyRequest(String name, String role) {}
