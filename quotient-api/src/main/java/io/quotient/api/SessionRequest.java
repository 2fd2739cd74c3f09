package io.quotient.api;

/**
 * The body of {@code POST /v1/session}: an admin or read key to exchange for a session cookie.
 *
 * @param key the API key ({@code qk_…})
 */
public record SessionRequest(String key) {}
