package io.quotient.server.problem;

import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import java.util.Map;

/**
 * Thrown anywhere in the HTTP edge to answer with a problem; the one exception mapper turns it into
 * the response. Carries no stack trace: it is an answer, not a bug.
 */
public final class ProblemException extends RuntimeException {
  private final ProblemType type;
  private final String field;
  private final Map<String, Object> extensions;

  public ProblemException(ProblemType type, String detail, String field, Map<String, Object> extensions) {
    super(detail, null, false, false);
    this.type = type;
    this.field = field;
    this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  public ProblemException(ProblemType type, String detail, String field) {
    this(type, detail, field, Map.of());
  }

  public ProblemException(ProblemType type, String detail) {
    this(type, detail, null, Map.of());
  }

  /** A 422 naming {@code field}. */
  public static ProblemException invalid(String field, String detail) {
    return new ProblemException(ProblemType.INVALID_FIELD, field + " " + detail, field);
  }

  /** The problem's type. */
  public ProblemType type() {
    return type;
  }

  /** The offending field, or null. */
  public String field() {
    return field;
  }

  /** The problem as a body. */
  public Problem problem() {
    return Problem.of(type, getMessage(), field).with(extensions);
  }
}
