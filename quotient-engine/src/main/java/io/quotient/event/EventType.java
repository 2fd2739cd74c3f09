package io.quotient.event;

import java.util.Locale;

/**
 * The kinds of events. The engine writes the first fourteen itself; the last five are written by the
 * monitor ({@code quotient-monitor}) with {@link io.quotient.engine.Quotient#append}, so that the
 * stream and the webhooks see alerts and signals in the same feed as the decisions behind them.
 */
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
  OVERRIDE,
  /** A usage threshold crossed (monitor). */
  ALERT_TRIGGERED("alert.triggered"),
  /** Usage back below thresholds that had fired (monitor). */
  ALERT_RESOLVED("alert.resolved"),
  /** An abuse signal's episode began (monitor). */
  ABUSE_DETECTED("abuse.detected"),
  /** A usage spike against the subject's own baseline (monitor). */
  SPIKE_DETECTED("spike.detected"),
  /** A webhook endpoint disabled after it failed or answered 410 (monitor). */
  WEBHOOK_DISABLED("webhook.disabled");

  private final String wireName;

  EventType() {
    this.wireName = name().toLowerCase(Locale.ROOT);
  }

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The wire name, such as {@code consume} or {@code alert.triggered}. */
  public String wireName() {
    return wireName;
  }

  /**
   * True for the types the monitor writes with {@link io.quotient.engine.Quotient#append}; the
   * engine's own types are written only by the engine, with the change they record.
   */
  public boolean appendable() {
    return ordinal() >= ALERT_TRIGGERED.ordinal();
  }

  /** Parses a wire name; null when there is none by that name. */
  public static EventType fromWireName(String name) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    return null;
  }
}
