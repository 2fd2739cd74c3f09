package io.quotient.client;

/**
 * Which alerts {@code GET /v1/alerts} lists, newest first.
 *
 * @param state {@code firing} or {@code resolved}; null for both
 * @param subject only this subject's; null for every subject
 * @param metric only this metric's; null for every metric
 * @param limit at most this many, 1 to 1000; null for the server's default (100)
 */
public record AlertQuery(String state, String subject, String metric, Integer limit) {

  /** Every alert, up to the server's default number. */
  public static AlertQuery all() {
    return new AlertQuery(null, null, null, null);
  }

  /** This query, only alerts in {@code value} ({@code firing} or {@code resolved}). */
  public AlertQuery inState(String value) {
    return new AlertQuery(value, subject, metric, limit);
  }

  /** This query, only {@code value}'s alerts. */
  public AlertQuery ofSubject(String value) {
    return new AlertQuery(state, value, metric, limit);
  }

  /** This query, only alerts of metric {@code value}. */
  public AlertQuery ofMetric(String value) {
    return new AlertQuery(state, subject, value, limit);
  }

  /** This query, at most {@code value} alerts. */
  public AlertQuery withLimit(int value) {
    return new AlertQuery(state, subject, metric, value);
  }
}
