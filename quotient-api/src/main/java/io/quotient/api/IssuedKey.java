package io.quotient.api;

import java.time.Instant;

/**
 * A new API key: the answer of {@code POST /v1/keys}, the only one that carries the key itself.
 *
 * @param id the key's id
 * @param name its name
 * @param role its role
 * @param prefix the first characters of the key
 * @param createdAt when it was created
 * @param revokedAt always null
 * @param key the key ({@code qk_…}); shown once, only its hash is kept
 */
public record IssuedKey(
    String id, String name, String role, String prefix, Instant createdAt, Instant revokedAt, String key) {}
