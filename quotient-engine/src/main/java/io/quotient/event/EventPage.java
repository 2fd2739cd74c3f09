package io.quotient.event;

import java.util.List;

/**
 * A page of events.
 *
 * @param events the events, oldest first
 * @param nextCursor the {@code after} of the next page; null when this page is the last
 */
public record EventPage(List<Event> events, Long nextCursor) {
  public EventPage {
    events = List.copyOf(events);
  }
}
