package io.quotient.reservation;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import java.time.Duration;

/**
 * A request to hold units.
 *
 * @param consume what to hold, decided like a consume
 * @param ttl how long the hold lasts, 1 second to 24 hours
 */
public record ReserveRequest(ConsumeRequest consume, Duration ttl) {
  /** Shortest hold. */
  public static final Duration MIN_TTL = Duration.ofSeconds(1);

  /** Longest hold. */
  public static final Duration MAX_TTL = Duration.ofHours(24);

  public ReserveRequest {
    InvalidArgumentException.require(consume != null, "consume", "is required");
    InvalidArgumentException.require(ttl != null, "ttlSeconds", "is required");
    InvalidArgumentException.require(
        ttl.compareTo(MIN_TTL) >= 0 && ttl.compareTo(MAX_TTL) <= 0,
        "ttlSeconds",
        "must be between 1 and 86400 seconds, was " + ttl.toSeconds());
  }
}
