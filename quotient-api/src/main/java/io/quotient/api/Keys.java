package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/keys}.
 *
 * @param keys every key, revoked ones included, without their secrets
 */
public record Keys(List<Key> keys) {}
