package io.quotient;

/**
 * An argument was refused before anything was written: a blank id, an amount out of range, a
 * malformed metric name, a TTL out of range. {@link #field()} names the offending argument the
 * way the HTTP API names it (for example {@code items[1].amount}).
 */
public final class InvalidArgumentException extends QuotientException {
  private final String field;

  public InvalidArgumentException(String field, String message) {
    super(field + ": " + message, null);
    this.field = field;
  }

  /** The name of the offending argument, as the HTTP API spells it. */
  public String field() {
    return field;
  }

  /** The message without the field name in front. */
  public String reason() {
    return getMessage().substring(field.length() + 2);
  }

  /** Throws when {@code condition} is false. */
  public static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new InvalidArgumentException(field, message);
    }
  }
}
