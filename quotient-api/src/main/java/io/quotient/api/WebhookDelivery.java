package io.quotient.api;

import java.time.Instant;

/**
 * One message for one webhook endpoint: an entry of {@link WebhookDeliveries}, and the answer of
 * {@code POST /v1/webhooks/{id}/test}.
 *
 * @param id the delivery's id
 * @param messageId the message id, sent as {@code webhook-id} (the same on every attempt)
 * @param type the message type
 * @param state {@code pending}, {@code delivered} or {@code failed} (given up, or the endpoint was disabled)
 * @param attempts attempts made
 * @param createdAt when it was queued
 * @param nextAttemptAt when it is tried next; null unless pending
 * @param lastAttemptAt the last attempt; null before the first
 * @param lastStatus the HTTP status of the last attempt; null when none came (timeout, refused, no attempt yet)
 * @param lastError why the last attempt failed; null when it did not
 * @param deliveredAt when the endpoint answered 2xx; null until then
 */
public record WebhookDelivery(
    String id, String messageId, String type, String state, int attempts, Instant createdAt, Instant nextAttemptAt,
    Instant lastAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt) {}
