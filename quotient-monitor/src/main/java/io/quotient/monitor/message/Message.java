package io.quotient.monitor.message;

import io.quotient.feed.FeedCursor;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the stream and the webhooks: a feed event in the public vocabulary.
 *
 * @param id the message id, unique and the same on every delivery of it (the event's id)
 * @param type the dotted type, such as {@code quota.consumed} (see {@link Messages})
 * @param timestamp when the event happened
 * @param data the type's data, in a fixed member order; {@code data.subject} names the subject
 *     (null for events about no subject); values are strings, longs, integers, booleans, instants,
 *     lists and maps of these, or null
 * @param cursor the event's position in the feed (the SSE {@code id}; resume after it)
 * @param subject the subject, null when none (also {@code data.subject})
 */
public record Message(String id, String type, Instant timestamp, Map<String, Object> data, FeedCursor cursor, String subject) {
  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(cursor, "cursor");
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /**
   * The body every channel sends, exactly: {@code {"id":…,"type":…,"timestamp":…,"data":{…}}},
   * compact, members in that order (a webhook's signature is over these bytes).
   */
  public String json() {
    StringBuilder out = new StringBuilder(320);
    out.append("{\"id\":");
    JsonText.string(out, id);
    out.append(",\"type\":");
    JsonText.string(out, type);
    out.append(",\"timestamp\":");
    JsonText.string(out, timestamp.toString());
    out.append(",\"data\":");
    JsonText.write(out, data);
    return out.append('}').toString();
  }

  /** The data alone as JSON (what the stream's {@code data:} line would carry without the envelope). */
  public String dataJson() {
    return JsonText.write(data);
  }
}
