package io.quotient.reservation;

import java.util.List;

/** What committing or releasing a reservation returns. */
public sealed interface ReservationResult {

  /**
   * The reservation was committed: the actual amounts count as used, the rest returned.
   *
   * @param reservationId the reservation
   * @param eventId the commit's event
   * @param items per metric, what was held and what was committed
   */
  record Committed(String reservationId, long eventId, List<Settled> items) implements ReservationResult {}

  /**
   * The reservation was released: everything it held returned.
   *
   * @param reservationId the reservation
   * @param eventId the release's event
   * @param items per metric, what was held (committed is 0)
   */
  record Released(String reservationId, long eventId, List<Settled> items) implements ReservationResult {}

  /**
   * The reservation was already committed, released or expired; nothing changed.
   *
   * @param reservationId the reservation
   * @param state {@link ReservationState#COMMITTED}, {@link ReservationState#RELEASED} or
   *     {@link ReservationState#EXPIRED}
   */
  record Closed(String reservationId, ReservationState state) implements ReservationResult {}

  /**
   * One metric of a settled reservation.
   *
   * @param metric the metric
   * @param held units that were held
   * @param committed units that now count as used
   */
  record Settled(String metric, long held, long committed) {}
}
