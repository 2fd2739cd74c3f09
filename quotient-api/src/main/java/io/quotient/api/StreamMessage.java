package io.quotient.api;

import java.time.Instant;
import java.util.Map;

/**
 * One message of the live stream ({@code GET /v1/stream}, the {@code data:} of each Server-Sent
 * Event) and of the webhooks: an event of the feed in the message vocabulary.
 *
 * @param id the message id, the same on every delivery of it
 * @param type the dotted type, such as {@code quota.consumed} or {@code alert.triggered}
 * @param timestamp when the event happened
 * @param data the type's data (docs/API.md lists each type's); {@code data.subject} names the subject
 */
public record StreamMessage(String id, String type, Instant timestamp, Map<String, Object> data) {

  /** {@code data.subject}, or null when the message is about no subject. */
  public String subject() {
    return data == null || !(data.get("subject") instanceof String s) ? null : s;
  }
}
