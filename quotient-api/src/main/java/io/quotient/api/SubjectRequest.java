package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code PUT /v1/subjects/{id}}. A field left out keeps its value; for a new subject,
 * the plan defaults to the default plan, the anchor to now and the metadata to none.
 *
 * @param plan the plan's name; may be null
 * @param billingAnchor the billing anchor; may be null
 * @param metadata flat string pairs; may be null
 * @param overrides the subject's own limits by metric, replacing those it has ({@code {}} removes
 *     them all); null keeps them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubjectRequest(
    String plan, Instant billingAnchor, Map<String, String> metadata, Map<String, Subject.OverrideRequest> overrides) {

  /** Plan, anchor and metadata; the overrides stay as they are. */
  public SubjectRequest(String plan, Instant billingAnchor, Map<String, String> metadata) {
    this(plan, billingAnchor, metadata, null);
  }

  /** Replaces the subject's overrides only. */
  public static SubjectRequest withOverrides(Map<String, Subject.OverrideRequest> overrides) {
    return new SubjectRequest(null, null, null, overrides);
  }

  /** Moves (or creates) a subject onto {@code plan}. */
  public static SubjectRequest onPlan(String plan) {
    return new SubjectRequest(plan, null, null);
  }
}
