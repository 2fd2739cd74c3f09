package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint, without its secret: an answer of {@code GET} and {@code DELETE
 * /v1/webhooks/{id}} and an entry of {@link Webhooks}.
 *
 * @param id its id ({@code wh_…})
 * @param url where messages are posted
 * @param format {@code standard}, {@code slack} or {@code discord}
 * @param types the message types it gets
 * @param state {@code enabled} or {@code disabled}
 * @param disabledReason {@code gone} (it answered 410) or {@code failing} (3 days of failures); null while enabled
 * @param disabledAt when it was disabled; null while enabled
 * @param createdAt when it was created
 * @param previousSecretExpiresAt until when the secret before the last rotation still signs; null when none does
 */
public record Webhook(
    String id, String url, String format, List<String> types, String state, String disabledReason, Instant disabledAt,
    Instant createdAt, Instant previousSecretExpiresAt) {}
