package io.quotient.plan;

/** What happens past the limit. */
public enum Enforcement {
  /** Deny past the limit (after bonus grants are used up). */
  HARD,
  /** Allow past the limit and count the excess as overage. */
  SOFT;

  /** The wire name: {@code hard} or {@code soft}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses a wire name; null when there is none by that name. */
  public static Enforcement fromWireName(String name) {
    for (Enforcement enforcement : values()) {
      if (enforcement.wireName().equals(name)) {
        return enforcement;
      }
    }
    return null;
  }
}
