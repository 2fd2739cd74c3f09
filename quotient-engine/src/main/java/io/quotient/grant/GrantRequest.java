package io.quotient.grant;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.time.Instant;

/**
 * A request to grant bonus units.
 *
 * @param subject the subject's id
 * @param metric the metric
 * @param amount units, 1 to 2^53
 * @param expiresAt optional expiry
 * @param reason optional, at most 500 characters
 */
public record GrantRequest(String subject, String metric, long amount, Instant expiresAt, String reason) {
  public GrantRequest {
    Names.requireId(subject, "subject");
    Names.requireName(metric, "metric");
    Names.requireAmount(amount, "amount");
    InvalidArgumentException.require(reason == null || reason.length() <= 500, "reason", "must be at most 500 characters");
  }
}
