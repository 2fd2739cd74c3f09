package io.quotient.reservation;

import java.util.Locale;

/** Where a reservation stands. Only {@link #HELD} moves, to one of the others, once. */
public enum ReservationState {
  /** Its units are held (and count as used) until it is committed, released or expires. */
  HELD,
  /** Committed: the actual amounts count as used, the rest returned. */
  COMMITTED,
  /** Released: everything it held returned. */
  RELEASED,
  /** Expired: its time ran out and everything it held returned. */
  EXPIRED;

  /** The wire name, such as {@code held}; also the stored one. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire (or stored) name. */
  public static ReservationState fromWireName(String name) {
    for (ReservationState state : values()) {
      if (state.wireName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("no reservation state '" + name + "'");
  }
}
