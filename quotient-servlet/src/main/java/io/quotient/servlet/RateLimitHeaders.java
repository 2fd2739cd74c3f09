package io.quotient.servlet;

import io.quotient.api.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers
 * (structured-field lists, one member per metric with a limit, named by the metric):
 * {@code "ai_generations";q=10;w=2592000} and {@code "ai_generations";r=0;t=86400}. {@code w} (the
 * window's length) and {@code t} (seconds until it resets) are left out for limits that never reset
 * ({@code total}, {@code concurrent}). Metric names are {@code [a-z0-9_.-]}: nothing to escape.
 */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** The policy field; empty when no item has a limit. */
  static String policy(List<Decision.Item> items) {
    StringJoiner field = new StringJoiner(", ");
    for (Decision.Item item : items) {
      if (item.limit() == null) {
        continue;
      }
      StringBuilder member = new StringBuilder().append('"').append(item.metric()).append("\";q=").append(item.limit());
      if (item.windowStart() != null && item.resetsAt() != null) {
        member.append(";w=").append(seconds(item.windowStart(), item.resetsAt()));
      }
      field.add(member);
    }
    return field.toString();
  }

  /** The remaining field at {@code now}; empty when no item has a limit. */
  static String remaining(List<Decision.Item> items, Instant now) {
    StringJoiner field = new StringJoiner(", ");
    for (Decision.Item item : items) {
      if (item.limit() == null || item.remaining() == null) {
        continue;
      }
      StringBuilder member = new StringBuilder().append('"').append(item.metric()).append("\";r=").append(item.remaining());
      if (item.resetsAt() != null) {
        member.append(";t=").append(seconds(now, item.resetsAt()));
      }
      field.add(member);
    }
    return field.toString();
  }

  /**
   * {@code Retry-After} in seconds for a denied item: until its window resets; 1 for units in
   * flight (they return when the work ends) and for a burst rate; null when waiting cannot help
   * (a {@code total} limit used up).
   */
  static Long retryAfter(Decision.Item item, String reason, Instant now) {
    if ("rate_limited".equals(reason)) {
      return 1L;
    }
    if (item.resetsAt() != null) {
      return Math.max(1, seconds(now, item.resetsAt()));
    }
    return item.held() > 0 ? 1L : null;
  }

  /** Whole seconds from {@code from} to {@code to}, rounded up, never negative. */
  static long seconds(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    if (d.isNegative()) {
      return 0;
    }
    return d.getNano() == 0 ? d.getSeconds() : d.getSeconds() + 1;
  }
}
