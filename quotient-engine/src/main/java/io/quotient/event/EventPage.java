package io.quotient.event;

import io.quotient.feed.FeedCursor;
import java.util.List;
import java.util.Objects;

/**
 * A page of the feed.
 *
 * @param events the events, in feed order
 * @param nextCursor where the next page starts, never null: the cursor of the last event when the
 *     page is full, else the position the read reached (every event committed below it, matching or
 *     not, has been passed), so that a follower keeps asking with it and skips nothing
 */
public record EventPage(List<Event> events, FeedCursor nextCursor) {
  public EventPage {
    events = List.copyOf(events);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
