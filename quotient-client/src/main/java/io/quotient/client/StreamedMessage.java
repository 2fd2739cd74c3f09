package io.quotient.client;

import io.quotient.api.StreamMessage;

/**
 * A message as a live stream delivers it.
 *
 * @param cursor its position in the feed (the SSE {@code id}): {@link StreamQuery#after} it resumes right after
 * @param message the message
 */
public record StreamedMessage(String cursor, StreamMessage message) {}
