package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * A new webhook endpoint or a rotated secret: the answer of {@code POST /v1/webhooks} and
 * {@code POST /v1/webhooks/{id}/rotate-secret}, the only ones that carry the secret.
 *
 * @param id its id ({@code wh_…})
 * @param url where messages are posted
 * @param format {@code standard}, {@code slack} or {@code discord}
 * @param types the message types it gets
 * @param state {@code enabled} or {@code disabled}
 * @param createdAt when it was created
 * @param previousSecretExpiresAt after a rotation, until when the previous secret also signs; else null
 * @param secret the signing secret ({@code whsec_…}); shown once
 */
public record IssuedWebhook(
    String id, String url, String format, List<String> types, String state, Instant createdAt, Instant previousSecretExpiresAt,
    String secret) {}
