package io.quotient.monitor.alert;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;

/**
 * Which alerts to list, newest first.
 *
 * @param state {@code firing}, {@code resolved}, or null for both
 * @param subject one subject's, or null for all
 * @param metric one metric's, or null for all
 * @param limit at most this many, 1 to 1000
 */
public record AlertQuery(String state, String subject, String metric, int limit) {
  public AlertQuery {
    InvalidArgumentException.require(
        state == null || state.equals("firing") || state.equals("resolved"), "state", "must be firing or resolved");
    if (subject != null) {
      Names.requireId(subject, "subject");
    }
    if (metric != null) {
      Names.requireName(metric, "metric");
    }
    InvalidArgumentException.require(limit >= 1 && limit <= 1000, "limit", "must be between 1 and 1000");
  }

  /** Every alert, the newest 100. */
  public static AlertQuery all() {
    return new AlertQuery(null, null, null, 100);
  }
}
