package io.quotient.api;

import java.time.Instant;

/**
 * An API key, without its secret: the answer of {@code DELETE /v1/keys/{id}} and an entry of
 * {@link Keys}.
 *
 * @param id the key's id ({@code key_…})
 * @param name its name
 * @param role {@code admin}, {@code service} or {@code read}
 * @param prefix the first characters of the key, to recognise it
 * @param createdAt when it was created
 * @param revokedAt when it was revoked; null while it works
 */
public record Key(String id, String name, String role, String prefix, Instant createdAt, Instant revokedAt) {}
