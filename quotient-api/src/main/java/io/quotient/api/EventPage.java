package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/events}: a page of events, oldest first.
 *
 * @param events the events of this page
 * @param nextCursor the {@code after} of the next page: the last event's cursor when the page is
 *     full, else the position the read reached (an empty page still moves a follower forward);
 *     always present
 */
public record EventPage(List<Event> events, String nextCursor) {}
