package io.quotient.grant;

import java.time.Instant;

/**
 * Bonus units of one metric for one subject.
 *
 * @param id the grant's id
 * @param subject the subject's id
 * @param metric the metric
 * @param amount units granted
 * @param used units used so far
 * @param expiresAt when unused units lapse; null for never
 * @param reason why it was granted
 * @param createdAt when it was granted
 */
public record Grant(
    long id, String subject, String metric, long amount, long used, Instant expiresAt, String reason, Instant createdAt) {

  /** Units left, ignoring expiry. */
  public long remaining() {
    return amount - used;
  }

  /** True when the grant can still be used at {@code now}. */
  public boolean isActiveAt(Instant now) {
    return used < amount && (expiresAt == null || expiresAt.isAfter(now));
  }
}
