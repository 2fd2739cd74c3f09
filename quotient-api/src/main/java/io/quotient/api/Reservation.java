package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/reservations/{id}}: one reservation as it stands.
 *
 * @param id the reservation
 * @param subject whose units it holds
 * @param state {@code held}, {@code committed}, {@code released} or {@code expired} (a hold past its
 *     expiry is {@code expired} even before the sweeper returns its units)
 * @param createdAt when it was made
 * @param expiresAt when the hold ends (or ended) by itself
 * @param eventId the event of the decision that made it
 * @param items per metric, the units it holds (or held)
 */
public record Reservation(
    String id, String subject, String state, Instant createdAt, Instant expiresAt, String eventId, List<Item> items) {

  /**
   * One metric of a reservation.
   *
   * @param metric the metric
   * @param held the units reserved
   * @param windowStart the start of the window the units were taken in
   */
  public record Item(String metric, long held, Instant windowStart) {}
}
