package io.quotient.decision;

import java.time.Instant;

/**
 * A granted reservation: its units are held (and count as used) until committed, released or
 * expired.
 *
 * @param reservationId the id to commit or release with
 * @param expiresAt when the hold returns by itself
 * @param decision the granted decision that holds the units
 */
public record Reserved(String reservationId, Instant expiresAt, Decision decision) implements ConsumeResult {}
