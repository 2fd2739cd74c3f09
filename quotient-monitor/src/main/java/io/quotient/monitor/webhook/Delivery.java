package io.quotient.monitor.webhook;

import java.time.Instant;

/**
 * One message for one endpoint, as its delivery stands.
 *
 * @param id the outbox row's id
 * @param messageId the message id (the {@code webhook-id} header, the same on every attempt)
 * @param type the message type
 * @param state {@code pending} (to be tried at {@code nextAttemptAt}), {@code delivered}, or
 *     {@code failed} (every attempt failed, or the endpoint was disabled)
 * @param attempts attempts made
 * @param createdAt when it entered the outbox
 * @param nextAttemptAt when it is tried next; null unless pending
 * @param lastAttemptAt the last attempt; null before the first
 * @param lastStatus the HTTP status of the last attempt; null before it or when there was none (timeout, refused)
 * @param lastError why the last attempt failed; null when it did not
 * @param deliveredAt when a 2xx came back; null until then
 */
public record Delivery(
    long id, String messageId, String type, String state, int attempts, Instant createdAt, Instant nextAttemptAt,
    Instant lastAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt) {}
