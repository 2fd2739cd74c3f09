package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /v1/reservations}: a decision like a consume's and, when granted, the
 * reservation holding the units.
 *
 * @param allowed true when every item is held
 * @param reason why it was denied; null when allowed
 * @param eventId the decision's event
 * @param items one per item; {@code held} includes this hold
 * @param reservationId the reservation; null when denied
 * @param expiresAt when the hold returns by itself unless committed or released; null when denied
 */
public record ReserveDecision(
    boolean allowed, String reason, String eventId, List<Decision.Item> items, String reservationId,
    Instant expiresAt) {

  /** {@code decision} with its reservation (both null when denied). */
  public static ReserveDecision of(Decision decision, String reservationId, Instant expiresAt) {
    return new ReserveDecision(
        decision.allowed(), decision.reason(), decision.eventId(), decision.items(), reservationId, expiresAt);
  }
}
