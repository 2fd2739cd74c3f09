package io.quotient;

/**
 * An operation that cannot be done in the state things are in: deleting a plan that subjects are
 * still on, or moving units a subject does not have. Nothing was changed.
 */
public final class ConflictException extends QuotientException {
  /** Why the operation conflicts. */
  public enum Kind {
    /** The plan still has subjects on it (or it is the default plan). */
    PLAN_IN_USE,
    /** The subject has fewer units left than the operation moves. */
    INSUFFICIENT_UNITS
  }

  private final Kind kind;

  public ConflictException(Kind kind, String message) {
    super(message, null);
    this.kind = kind;
  }

  /** Why the operation conflicts. */
  public Kind kind() {
    return kind;
  }
}
