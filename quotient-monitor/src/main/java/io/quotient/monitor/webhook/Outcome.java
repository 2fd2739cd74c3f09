package io.quotient.monitor.webhook;

import java.util.Locale;

/** What one delivery attempt came to (for metrics). */
public enum Outcome {
  /** A 2xx answer. */
  DELIVERED,
  /** It failed and will be tried again. */
  RETRYING,
  /** Its last attempt failed: the message is given up. */
  GAVE_UP,
  /** It failed and the endpoint was disabled (410, or failing for 3 days). */
  DISABLED;

  /** The label value: {@code delivered}, {@code retrying}, {@code gave_up}, {@code disabled}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
