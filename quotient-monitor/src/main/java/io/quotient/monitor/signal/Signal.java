package io.quotient.monitor.signal;

import io.quotient.event.EventType;
import java.util.Locale;

/** The signals: what each is called on the wire, the event an episode emits, its weight in the risk score. */
public enum Signal {
  /** Many denials for one subject within a sliding window. */
  DENIAL_BURST(EventType.ABUSE_DETECTED, 30),
  /** Many requests for one subject at once, or repeated idempotency conflicts. */
  RACE(EventType.ABUSE_DETECTED, 30),
  /** The last hour's units far above the subject's own hourly baseline. */
  USAGE_SPIKE(EventType.SPIKE_DETECTED, 30),
  /** Bursts of 401/403 answers for one key or one client address. */
  CREDENTIAL_ABUSE(EventType.ABUSE_DETECTED, 40);

  private final EventType eventType;
  private final int weight;

  Signal(EventType eventType, int weight) {
    this.eventType = eventType;
    this.weight = weight;
  }

  /** The wire name, such as {@code denial_burst}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The feed event an episode of this signal emits when it begins. */
  public EventType eventType() {
    return eventType;
  }

  /** Its share of the risk score (0–100) while an episode is fresh; it decays to 0 over a day. */
  public int weight() {
    return weight;
  }

  /** The signal named {@code wireName}. */
  public static Signal of(String wireName) {
    return valueOf(wireName.toUpperCase(Locale.ROOT));
  }
}
