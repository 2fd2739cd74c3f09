package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A subject: the answer of {@code GET} and {@code PUT /v1/subjects/{id}}.
 *
 * @param id the subject's id
 * @param plan its plan's name
 * @param billingAnchor the instant whose day of month starts {@code billing_month} windows
 * @param metadata flat string pairs; empty when none
 * @param overrides its own limits by metric, which win over the plan's; empty when none
 */
public record Subject(
    String id, String plan, Instant billingAnchor, Map<String, String> metadata, Map<String, Override> overrides) {

  /**
   * A subject's own limit for one metric of its plan.
   *
   * @param limit the allowance per window; null for unlimited
   * @param expiresAt when the plan's limit applies again; null for until removed
   * @param active false once expired (it no longer applies)
   */
  public record Override(Long limit, Instant expiresAt, boolean active) {}

  /**
   * A subject's own limit as {@code PUT /v1/subjects/{id}} takes it, in {@link SubjectRequest#overrides()}.
   *
   * @param limit the allowance per window; null for unlimited (always sent)
   * @param expiresAt when the plan's limit applies again; null for until removed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OverrideRequest(@JsonInclude(JsonInclude.Include.ALWAYS) Long limit, Instant expiresAt) {}
}
