package io.quotient.decision;

import java.util.Locale;

/** Why a request was denied. */
public enum DenialReason {
  /** An item would go past its hard limit, bonus grants included. */
  QUOTA_EXCEEDED,
  /** An item would go past its burst rate. */
  RATE_LIMITED,
  /** An item's metric is not in the subject's plan. */
  METRIC_NOT_IN_PLAN,
  /** The subject does not exist and no default plan is configured. */
  UNKNOWN_SUBJECT,
  /**
   * Granting the request would take one of its counters (used, held, bonus or overage units of a
   * window) past the largest number Quotient keeps, {@code Long.MAX_VALUE}. Only this request is
   * refused; nothing else changes, and smaller requests may still fit.
   */
  COUNTER_OVERFLOW;

  /** The wire name, such as {@code quota_exceeded}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; null when there is none by that name. */
  public static DenialReason fromWireName(String name) {
    for (DenialReason reason : values()) {
      if (reason.wireName().equals(name)) {
        return reason;
      }
    }
    return null;
  }
}
