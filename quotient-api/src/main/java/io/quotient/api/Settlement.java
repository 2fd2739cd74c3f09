package io.quotient.api;

import java.util.List;

/**
 * The answer of committing or releasing a reservation.
 *
 * @param reservationId the reservation
 * @param state {@code committed} or {@code released}
 * @param eventId the commit's or release's event
 * @param items per metric, what was held and what now counts as used
 */
public record Settlement(String reservationId, String state, String eventId, List<Item> items) {

  /**
   * One metric of a settled reservation.
   *
   * @param metric the metric
   * @param held units that were held
   * @param committed units that now count as used (0 for a release); the rest returned
   */
  public record Item(String metric, long held, long committed) {}
}
