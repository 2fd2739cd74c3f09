package io.quotient.api;

/**
 * The closed set of problem types the API answers with. Each has a stable URI (the RFC 9457
 * {@code type}) and the HTTP status it is sent with; clients branch on the URI, not the text.
 */
public enum ProblemType {
  /** The body is not well-formed JSON (or not a JSON object where one is needed). */
  MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
  /** The request itself is malformed (for example its URI), before any body is read. */
  BAD_REQUEST("bad-request", 400, "Bad request"),
  /** No credential, or an unknown, revoked or expired one. */
  UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
  /** The credential's role or token scope does not allow this route. */
  FORBIDDEN("forbidden", 403, "Forbidden"),
  /** The named plan, subject, reservation, key or route does not exist. */
  NOT_FOUND("not-found", 404, "Not found"),
  /** The method is not one this route answers. */
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  /** A request with the same idempotency key is still being decided. */
  IDEMPOTENCY_KEY_IN_FLIGHT("idempotency-key-in-flight", 409, "Idempotency key in flight"),
  /** The reservation was already committed, released or expired. */
  RESERVATION_CLOSED("reservation-closed", 409, "Reservation closed"),
  /** The consume cannot be refunded (denied, already refunded, or less left than asked). */
  NOT_REFUNDABLE("not-refundable", 409, "Not refundable"),
  /** Revoking this key would leave no active admin key. */
  LAST_ADMIN_KEY("last-admin-key", 409, "Last admin key"),
  /** The plan cannot be deleted: subjects are on it, or it is the default plan. */
  PLAN_IN_USE("plan-in-use", 409, "Plan in use"),
  /** The subject has fewer units left than a transfer moves; nothing moved. */
  INSUFFICIENT_UNITS("insufficient-units", 409, "Insufficient units"),
  /** The request body is larger than the server accepts. */
  BODY_TOO_LARGE("body-too-large", 413, "Body too large"),
  /** The batch holds more requests than the server accepts. */
  BATCH_TOO_LARGE("batch-too-large", 413, "Batch too large"),
  /** The body is not {@code application/json}. */
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  /** A field has a wrong type or a value out of range. */
  INVALID_FIELD("invalid-field", 422, "Invalid field"),
  /** The body has a field the API does not know. */
  UNKNOWN_FIELD("unknown-field", 422, "Unknown field"),
  /** The idempotency key was used before with other parameters. */
  IDEMPOTENCY_KEY_MISMATCH("idempotency-key-mismatch", 422, "Idempotency key reused"),
  /**
   * The database could not be reached or failed while answering. The outcome of a mutating call is
   * unknown (its commit may have happened); retry with the same {@code Idempotency-Key}.
   */
  STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable"),
  /** The server is shutting down and takes no new requests. */
  SHUTTING_DOWN("shutting-down", 503, "Shutting down"),
  /**
   * Sent by the servlet filter (not the server) to an end user past a quota: 429 unless the route
   * configures 402 or 403. Members {@code metric}, {@code limit}, {@code remaining}, {@code reset}
   * and {@code upgradeUrl}; the answer carries {@code Retry-After}, {@code RateLimit-Policy} and
   * {@code RateLimit}.
   */
  QUOTA_EXCEEDED("quota-exceeded", 429, "Quota exceeded"),
  /** Sent by the servlet filter of a fail-closed route when Quotient cannot be asked. */
  QUOTA_UNAVAILABLE("quota-unavailable", 503, "Quota service unavailable"),
  /** A bug: the server failed to answer. Never sent for bad input. */
  INTERNAL_ERROR("internal-error", 500, "Internal error");

  /** The prefix of every problem type URI. */
  public static final String URI_PREFIX = "urn:quotient:problem:";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  /** The stable type URI, such as {@code urn:quotient:problem:invalid-field}. */
  public String uri() {
    return URI_PREFIX + slug;
  }

  /** The short name, such as {@code invalid-field}. */
  public String slug() {
    return slug;
  }

  /** The HTTP status the problem is sent with. */
  public int status() {
    return status;
  }

  /** The short human summary, the same for every occurrence. */
  public String title() {
    return title;
  }

  /** The type whose URI is {@code uri}; null when this version knows none by that URI. */
  public static ProblemType fromUri(String uri) {
    for (ProblemType type : values()) {
      if (type.uri().equals(uri)) {
        return type;
      }
    }
    return null;
  }
}
