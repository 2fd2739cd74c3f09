package io.quotient.client;

import java.util.List;

/**
 * Which messages a live stream ({@code GET /v1/stream}) follows.
 *
 * @param subject only this subject's messages; null for every subject (a subject token's own only)
 * @param types only these message types ({@code alert.triggered}, …); null or empty for every type
 * @param after the cursor to start just after: a message's cursor, or an event page's
 *     {@code nextCursor}; null to start now
 */
public record StreamQuery(String subject, List<String> types, String after) {
  public StreamQuery {
    types = types == null ? List.of() : List.copyOf(types);
  }

  /** Every message from now on. */
  public static StreamQuery live() {
    return new StreamQuery(null, null, null);
  }

  /** This query, only {@code value}'s messages. */
  public StreamQuery ofSubject(String value) {
    return new StreamQuery(value, types, after);
  }

  /** This query, only messages of these types. */
  public StreamQuery ofTypes(String... values) {
    return new StreamQuery(subject, List.of(values), after);
  }

  /** This query, starting just after the cursor {@code cursor}. */
  public StreamQuery after(String cursor) {
    return new StreamQuery(subject, types, cursor);
  }
}
