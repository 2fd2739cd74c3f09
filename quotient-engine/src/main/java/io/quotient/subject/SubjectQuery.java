package io.quotient.subject;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.time.Instant;

/**
 * Which subjects to list, and where the page starts. Every filter is optional; together they must
 * all hold.
 *
 * @param plan only subjects on this plan; null for any
 * @param metadataKey with {@code metadataValue}: only subjects whose metadata has this pair; null for any
 * @param metadataValue the value {@code metadataKey} must have
 * @param minShare only subjects whose usage (held units included) of at least one limited metric
 *     in its current window is at least this share of the limit (0.8 for 80%); null for any
 * @param createdSince only subjects created at or after this instant; null for any
 * @param after the cursor of the previous page (the last subject id it looked at); null for the start
 * @param limit the most subjects in the page, 1 to 1000
 */
public record SubjectQuery(
    String plan, String metadataKey, String metadataValue, Double minShare, Instant createdSince, String after, int limit) {
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  public SubjectQuery {
    if (plan != null) {
      Names.requireName(plan, "plan");
    }
    InvalidArgumentException.require(
        (metadataKey == null) == (metadataValue == null), "metadata", "must be key=value");
    InvalidArgumentException.require(
        minShare == null || (minShare >= 0 && Double.isFinite(minShare)), "atShare", "must be a number of 0 or more");
    InvalidArgumentException.require(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT);
  }

  /** Every subject, first page. */
  public static SubjectQuery all(int limit) {
    return new SubjectQuery(null, null, null, null, null, null, limit);
  }
}
