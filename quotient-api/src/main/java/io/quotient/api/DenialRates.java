package io.quotient.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/analytics/denials}: decisions and denials per UTC hour over every
 * subject, oldest first, this hour last.
 *
 * @param hours one per hour of the window
 */
public record DenialRates(List<Hour> hours) {

  /**
   * One hour.
   *
   * @param hour the hour's start
   * @param decisions consumes and reservations decided
   * @param denials those denied
   * @param rate {@code denials ÷ decisions}, two decimals; 0 with no decision
   */
  public record Hour(Instant hour, long decisions, long denials, double rate) {}
}
