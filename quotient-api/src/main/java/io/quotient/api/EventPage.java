package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/events}: a page of events, oldest first.
 *
 * @param events the events of this page
 * @param nextCursor the {@code after} of the next page; null when this page is the last for now
 */
public record EventPage(List<Event> events, String nextCursor) {}
