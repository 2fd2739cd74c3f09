package io.quotient.server.problem;

import java.util.Map;

/**
 * An RFC 9457 problem body.
 *
 * @param type the problem type URI
 * @param title the type's short summary
 * @param status the HTTP status
 * @param detail what went wrong this time, for a human
 * @param field the offending field (for example {@code items[0].amount}), or null
 * @param extensions further members by name (for example {@code refundable}); never null
 */
public record Problem(String type, String title, int status, String detail, String field, Map<String, Object> extensions) {
  public Problem {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  /** A problem of {@code type} with {@code detail}, naming {@code field} (may be null). */
  public static Problem of(ProblemType type, String detail, String field) {
    return new Problem(type.uri(), type.title(), type.status(), detail, field, Map.of());
  }
}
