package io.quotient.event;

import java.util.Locale;

/** The kinds of events. */
public enum EventType {
  /** A consume decision, granted or denied. */
  CONSUME,
  /** Units of a consume given back. */
  REFUND,
  /** A reservation decision, granted or denied. */
  RESERVE,
  /** A reservation committed with its actual amounts. */
  COMMIT,
  /** A reservation released. */
  RELEASE,
  /** A reservation that expired and returned its units. */
  EXPIRE,
  /** Bonus units granted. */
  GRANT,
  /** An admin reset of a subject's current window. */
  RESET,
  /** A subject created or moved to another plan. */
  SUBJECT_CHANGE,
  /** A plan created or its limits changed. */
  PLAN_CHANGE,
  /** A subject deleted (its earlier events stay). */
  SUBJECT_DELETE,
  /** A plan deleted. */
  PLAN_DELETE,
  /** Units moved between two subjects: one event for each side. */
  TRANSFER,
  /** A subject's own limit for a metric set or removed. */
  OVERRIDE;

  /** The wire name, such as {@code consume}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; null when there is none by that name. */
  public static EventType fromWireName(String name) {
    for (EventType type : values()) {
      if (type.wireName().equals(name)) {
        return type;
      }
    }
    return null;
  }
}
