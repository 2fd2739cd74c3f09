package io.quotient.api;

/** The header names and media types of the API. */
public final class Headers {
  /**
   * The request header carrying an idempotency key (the IETF {@code Idempotency-Key} draft): a
   * retry with the same key, for the same subject, replays the first answer.
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

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
