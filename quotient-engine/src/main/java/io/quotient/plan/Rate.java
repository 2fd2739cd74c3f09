package io.quotient.plan;

import io.quotient.InvalidArgumentException;

/**
 * A burst rate limit as a token bucket: {@code burst} units at once, refilled at
 * {@code perSecond} units a second.
 */
public record Rate(long perSecond, long burst) {
  public Rate {
    InvalidArgumentException.require(perSecond > 0, "rate.perSecond", "must be greater than 0");
    InvalidArgumentException.require(perSecond <= 1_000_000_000L, "rate.perSecond", "must be at most 1000000000");
    InvalidArgumentException.require(burst > 0, "rate.burst", "must be greater than 0");
    InvalidArgumentException.require(burst <= 1_000_000_000L, "rate.burst", "must be at most 1000000000");
  }
}
