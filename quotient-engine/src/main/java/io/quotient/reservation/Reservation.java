package io.quotient.reservation;

import java.time.Instant;
import java.util.List;

/**
 * A reservation as it stands, read without locks.
 *
 * @param id the reservation
 * @param subject whose units it holds
 * @param state where it stands; a hold past its expiry reads {@link ReservationState#EXPIRED} even
 *     before the sweeper has returned its units (it can no longer be committed)
 * @param items per metric, the units reserved and the window they were taken in
 * @param createdAt when it was made
 * @param expiresAt when the hold ends (or ended) by itself
 * @param eventId the event of the reserve decision that made it
 */
public record Reservation(
    String id, String subject, ReservationState state, List<Hold> items, Instant createdAt, Instant expiresAt,
    long eventId) {

  public Reservation {
    items = List.copyOf(items);
  }

  /**
   * One metric of a reservation.
   *
   * @param metric the metric
   * @param amount the units reserved
   * @param windowStart the start of the window they were taken in
   */
  public record Hold(String metric, long amount, Instant windowStart) {}
}
