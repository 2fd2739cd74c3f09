package io.quotient.client;

import java.time.Instant;

/**
 * Which subjects {@code GET /v1/subjects} lists: a page in id order, filtered. Follow a page's
 * {@code nextCursor} with {@link #after(String)} until it is null.
 *
 * @param plan only subjects on this plan; null for any
 * @param metadata {@code key=value}: only subjects whose metadata has this pair; null for any
 * @param atShare only subjects at or past this share (0.8 = 80%) of any limit; null for any
 * @param createdSince only subjects created at or after this instant; null for any
 * @param after a page's {@code nextCursor}; null for the start
 * @param limit at most this many, 1 to 1000; null for the server's default (100)
 */
public record SubjectQuery(String plan, String metadata, Double atShare, Instant createdSince, String after, Integer limit) {

  /** Every subject, first page. */
  public static SubjectQuery all() {
    return new SubjectQuery(null, null, null, null, null, null);
  }

  /** This query, only subjects on {@code plan}. */
  public SubjectQuery onPlan(String value) {
    return new SubjectQuery(value, metadata, atShare, createdSince, after, limit);
  }

  /** This query, only subjects whose metadata has {@code key=value}. */
  public SubjectQuery withMetadata(String key, String value) {
    return new SubjectQuery(plan, key + "=" + value, atShare, createdSince, after, limit);
  }

  /** This query, only subjects at or past {@code share} of any limit. */
  public SubjectQuery atShare(double share) {
    return new SubjectQuery(plan, metadata, share, createdSince, after, limit);
  }

  /** This query, only subjects created at or after {@code since}. */
  public SubjectQuery createdSince(Instant since) {
    return new SubjectQuery(plan, metadata, atShare, since, after, limit);
  }

  /** This query, from the cursor {@code cursor}. */
  public SubjectQuery after(String cursor) {
    return new SubjectQuery(plan, metadata, atShare, createdSince, cursor, limit);
  }

  /** This query, pages of at most {@code value}. */
  public SubjectQuery withLimit(int value) {
    return new SubjectQuery(plan, metadata, atShare, createdSince, after, value);
  }
}
