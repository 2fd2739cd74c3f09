package io.quotient.server.auth;

import java.util.Locale;

/** What an API key may do. */
public enum Role {
  /** Everything: enforcement, reads, administration, keys and tokens. */
  ADMIN,
  /** Enforcement (consume, check, batch, refunds, reservations) and usage reads. */
  SERVICE,
  /** Reads only: usage, plans, subjects, grants, events. */
  READ;

  /** The wire name: {@code admin}, {@code service} or {@code read}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; null when there is none by that name. */
  public static Role fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return role;
      }
    }
    return null;
  }
}
