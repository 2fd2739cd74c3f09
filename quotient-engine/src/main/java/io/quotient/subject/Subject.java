package io.quotient.subject;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whoever usage is counted for: a user, an organisation, an API key.
 *
 * @param id the integrating product's id for it
 * @param plan the name of its plan
 * @param billingAnchor the instant whose day of month starts its {@code billing_month} periods
 * @param metadata free-form string pairs (at most 50 keys of 40 characters, values of 500)
 */
public record Subject(String id, String plan, Instant billingAnchor, Map<String, String> metadata) {
  public Subject {
    Names.requireId(id, "id");
    Names.requireName(plan, "plan");
    InvalidArgumentException.require(billingAnchor != null, "billingAnchor", "is required");
    metadata = Metadata.check(metadata, "metadata");
  }

  /** Metadata limits, shared by subjects and requests. */
  public static final class Metadata {
    /** At most this many keys. */
    public static final int MAX_KEYS = 50;
    /** Longest key. */
    public static final int MAX_KEY_LENGTH = 40;
    /** Longest value. */
    public static final int MAX_VALUE_LENGTH = 500;

    private Metadata() {}

    /** Checks and copies metadata; null becomes empty. */
    public static Map<String, String> check(Map<String, String> metadata, String field) {
      if (metadata == null) {
        return Map.of();
      }
      InvalidArgumentException.require(metadata.size() <= MAX_KEYS, field, "must have at most " + MAX_KEYS + " keys");
      TreeMap<String, String> copy = new TreeMap<>();
      metadata.forEach(
          (key, value) -> {
            InvalidArgumentException.require(
                key != null && !key.isEmpty() && key.length() <= MAX_KEY_LENGTH,
                field,
                "keys must be 1 to " + MAX_KEY_LENGTH + " characters");
            InvalidArgumentException.require(value != null, field + "." + key, "must not be null");
            InvalidArgumentException.require(
                key.indexOf('\u0000') < 0 && value.indexOf('\u0000') < 0, field + "." + key, "must not contain NUL");
            InvalidArgumentException.require(
                value.length() <= MAX_VALUE_LENGTH, field + "." + key, "must be at most " + MAX_VALUE_LENGTH + " characters");
            copy.put(key, value);
          });
      return java.util.Collections.unmodifiableMap(copy);
    }
  }
}
