package io.quotient.event;

import io.quotient.feed.FeedCursor;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One entry of the audit trail.
 *
 * @param id the event's id: unique, but not in commit order (ids come in blocks per engine)
 * @param cursor the event's position in the feed: resume after it to see what follows
 * @param at when it happened (the engine's clock)
 * @param type what happened
 * @param subject the subject, null for plan changes
 * @param allowed for decisions, whether granted; null otherwise
 * @param reason for denials, the reason's wire name; null otherwise
 * @param scope the caller (credential) that caused it; empty for in-process callers
 * @param idempotencyKey the request's key, if any
 * @param relatedEventId for refunds, the consume refunded; null otherwise
 * @param reservationId for reservation events, the reservation
 * @param items per metric context: amounts, limit, usage after, plan/bonus/overage split
 * @param metadata the request's metadata
 * @param detail other context by name (plan before and after, grant id, reset metrics)
 */
public record Event(
    long id,
    FeedCursor cursor,
    Instant at,
    EventType type,
    String subject,
    Boolean allowed,
    String reason,
    String scope,
    String idempotencyKey,
    Long relatedEventId,
    String reservationId,
    List<EventItem> items,
    Map<String, String> metadata,
    Map<String, String> detail) {}
