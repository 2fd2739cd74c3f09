package io.quotient;

/** An operation named an entity (a plan, a subject, a reservation, an event) that does not exist. */
public final class NotFoundException extends QuotientException {
  private final String kind;
  private final String id;

  public NotFoundException(String kind, String id) {
    super(kind + " '" + id + "' does not exist", null);
    this.kind = kind;
    this.id = id;
  }

  /** What was looked for: {@code plan}, {@code subject}, {@code reservation}, {@code event}. */
  public String kind() {
    return kind;
  }

  /** The id that was not found. */
  public String id() {
    return id;
  }
}
