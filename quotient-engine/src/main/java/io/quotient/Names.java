package io.quotient;

import java.util.regex.Pattern;

/**
 * The rules for identifiers every module shares, so that the engine and the HTTP edge refuse the
 * same inputs with the same words.
 */
public final class Names {
  /** Metric and plan names: lower-case letters, digits, {@code _ . -}, 1 to 64 characters. */
  public static final Pattern METRIC = Pattern.compile("[a-z0-9_.-]{1,64}");

  /** Longest subject id, reservation id or idempotency key accepted. */
  public static final int MAX_ID_LENGTH = 255;

  /** Largest amount in one request: 2^53, the largest integer every JSON parser keeps exact. */
  public static final long MAX_AMOUNT = 1L << 53;

  private Names() {}

  /** Checks a subject id (or any caller-chosen id): not blank, at most 255 characters. */
  public static String requireId(String value, String field) {
    InvalidArgumentException.require(value != null, field, "is required");
    InvalidArgumentException.require(!value.isBlank(), field, "must not be blank");
    InvalidArgumentException.require(
        value.length() <= MAX_ID_LENGTH, field, "must be at most " + MAX_ID_LENGTH + " characters");
    InvalidArgumentException.require(value.indexOf('\u0000') < 0, field, "must not contain the NUL character");
    return value;
  }

  /** Checks a metric or plan name against {@link #METRIC}. */
  public static String requireName(String value, String field) {
    InvalidArgumentException.require(value != null, field, "is required");
    InvalidArgumentException.require(
        METRIC.matcher(value).matches(), field, "must match [a-z0-9_.-]{1,64}, was '" + abbreviate(value) + "'");
    return value;
  }

  /** Checks a requested amount: greater than zero and at most {@link #MAX_AMOUNT}. */
  public static long requireAmount(long value, String field) {
    InvalidArgumentException.require(value > 0, field, "must be greater than 0, was " + value);
    InvalidArgumentException.require(
        value <= MAX_AMOUNT, field, "must be at most 2^53 (" + MAX_AMOUNT + "), was " + value);
    return value;
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
