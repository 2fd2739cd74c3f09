package io.quotient.api;

/** The header names and media types of the API. */
public final class Headers {
  /**
   * The request header carrying an idempotency key (the IETF {@code Idempotency-Key} draft): a
   * retry with the same key, for the same subject, replays the first answer.
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The seeds' name of the idempotency key header, accepted wherever {@link #IDEMPOTENCY_KEY} is. */
  public static final String X_IDEMPOTENCY_KEY = "X-Idempotency-Key";

  /** draft-ietf-httpapi-ratelimit-headers: the quota policies, {@code "ai_generations";q=10;w=2592000}. */
  public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

  /** draft-ietf-httpapi-ratelimit-headers: what is left of each policy, {@code "ai_generations";r=0;t=86400}. */
  public static final String RATE_LIMIT = "RateLimit";

  /** RFC 9110: seconds until a denied request may succeed. */
  public static final String RETRY_AFTER = "Retry-After";

  /** The response header marking an answer replayed for an idempotency key: value {@code true}. */
  public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  /** The credential header: {@code Bearer <api key or subject token>}. */
  public static final String AUTHORIZATION = "Authorization";

  /** Sent with a 401: the scheme the API expects. */
  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  /** The media type of request bodies and answers. */
  public static final String JSON = "application/json";

  /** The media type of problem answers (RFC 9457). */
  public static final String PROBLEM_JSON = "application/problem+json";

  private Headers() {}
}
