package io.quotient.api;

import java.time.Instant;

/**
 * A subject token: the answer of {@code POST /v1/subjects/{id}/tokens}. It reads that subject's
 * usage and nothing else.
 *
 * @param token the token ({@code qst_…}), a Bearer credential
 * @param subject the subject it reads
 * @param expiresAt when it stops working
 */
public record Token(String token, String subject, Instant expiresAt) {}
