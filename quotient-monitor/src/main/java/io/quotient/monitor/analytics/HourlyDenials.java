package io.quotient.monitor.analytics;

import java.time.Instant;

/**
 * Decisions and denials of one UTC hour, over every subject.
 *
 * @param hour the hour's start
 * @param decisions consumes and reservations decided
 * @param denials those denied
 * @param rate {@code denials / decisions}, 0 with no decision
 */
public record HourlyDenials(Instant hour, long decisions, long denials, double rate) {}
