package io.quotient.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event of the audit trail.
 *
 * @param id the event's id
 * @param cursor the event's position in the feed: {@code GET /v1/events?after=<cursor>} continues
 *     right after it (opaque; compare cursors only by handing them back)
 * @param at when it happened
 * @param type {@code consume}, {@code refund}, {@code reserve}, {@code commit}, {@code release},
 *     {@code expire}, {@code grant}, {@code reset}, {@code subject_change} or {@code plan_change}
 * @param subject the subject; null for plan changes
 * @param allowed for decisions, whether granted; null otherwise
 * @param reason for denials, the reason; null otherwise
 * @param scope the credential that caused it ({@code key:<id>}); empty for in-process callers
 * @param idempotencyKey the request's idempotency key; may be null
 * @param relatedEventId for refunds and settlements, the event they follow; null otherwise
 * @param reservationId for reservation events, the reservation; null otherwise
 * @param items per metric, amounts and usage after; empty when none
 * @param metadata the request's metadata; empty when none
 * @param detail other context by name; empty when none
 */
public record Event(
    String id, String cursor, Instant at, String type, String subject, Boolean allowed, String reason, String scope,
    String idempotencyKey, String relatedEventId, String reservationId, List<Item> items,
    Map<String, String> metadata, Map<String, String> detail) {

  /**
   * One metric of an event.
   *
   * @param metric the metric
   * @param amount the amount of the request (or given back, or settled)
   * @param limit the allowance; null when unlimited or unknown
   * @param used units counted after; null when unknown
   * @param remaining allowance left after; null when unlimited or unknown
   * @param fromPlan units from the plan's allowance
   * @param fromBonus units from grants
   * @param overage units past a soft limit
   * @param windowStart the start of the window; null when unknown
   */
  public record Item(
      String metric, long amount, Long limit, Long used, Long remaining, long fromPlan, long fromBonus,
      long overage, Instant windowStart) {}
}
