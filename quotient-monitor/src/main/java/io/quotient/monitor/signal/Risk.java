package io.quotient.monitor.signal;

import java.util.List;

/**
 * A subject's risk: the sum of its signals' shares, each decaying from its weight to 0 over
 * {@link Signals#RISK_DECAY} after the signal's last hit, capped at 100.
 *
 * @param subject the subject
 * @param score 0 to 100; 0 with no recent signal
 * @param band the score's band
 * @param signals the recent signals that make the score, the highest share first
 */
public record Risk(String subject, int score, Band band, List<Part> signals) {
  public Risk {
    signals = List.copyOf(signals);
  }

  /**
   * One signal's share of a score.
   *
   * @param score its share
   * @param episode its latest episode (the evidence)
   */
  public record Part(int score, Episode episode) {}

  /** Bands of the score. */
  public enum Band {
    /** 0: no recent signal. */
    NONE,
    /** 1–29. */
    LOW,
    /** 30–59. */
    MEDIUM,
    /** 60–79. */
    HIGH,
    /** 80–100. */
    CRITICAL;

    /** The band of {@code score}. */
    public static Band of(int score) {
      if (score <= 0) {
        return NONE;
      } else if (score < 30) {
        return LOW;
      } else if (score < 60) {
        return MEDIUM;
      } else if (score < 80) {
        return HIGH;
      }
      return CRITICAL;
    }

    /** The wire name, lower case. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
