package io.quotient.api;

import java.time.Instant;

/**
 * A dashboard session: the answer of {@code POST /v1/session} (which also sets the session cookie)
 * and {@code GET /v1/session}. The cookie itself never appears in a body.
 *
 * @param role the role of the key the session was opened with ({@code admin} or {@code read})
 * @param keyName the name of that key
 * @param csrfToken the token every write made with the cookie must carry in {@code X-CSRF-Token}
 * @param expiresAt when the session ends unless signed out before
 */
public record Session(String role, String keyName, String csrfToken, Instant expiresAt) {}
