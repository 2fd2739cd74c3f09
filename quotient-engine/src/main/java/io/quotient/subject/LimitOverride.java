package io.quotient.subject;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.time.Instant;

/**
 * A subject's own limit for one metric of its plan, which wins over the plan's until it is removed
 * or {@code expiresAt} passes. Period, enforcement, overage price and rate stay the plan's.
 *
 * @param limit the allowance per window; null for unlimited
 * @param expiresAt when the plan's limit applies again; null for until removed
 */
public record LimitOverride(Long limit, Instant expiresAt) {
  public LimitOverride {
    InvalidArgumentException.require(limit == null || limit >= 0, "limit", "must be 0 or more, or null for unlimited");
    InvalidArgumentException.require(limit == null || limit <= Names.MAX_AMOUNT, "limit", "must be at most 2^53");
  }

  /** True while it applies. */
  public boolean isActiveAt(Instant now) {
    return expiresAt == null || expiresAt.isAfter(now);
  }
}
