package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: the body of every error answer ({@value Headers#PROBLEM_JSON}).
 *
 * @param type the problem type URI, stable: {@code urn:quotient:problem:<slug>} (see {@link ProblemType})
 * @param title the type's short summary, the same for every occurrence
 * @param status the HTTP status
 * @param detail what went wrong this time, for a human
 * @param field the offending field by its path in the request (for example {@code items[0].amount},
 *     a header name such as {@code Idempotency-Key}, or a query parameter); absent when no one field
 *     is at fault
 * @param extensions further members of this type, by name (for example {@code refundable} of
 *     {@code not-refundable}, {@code state} of {@code reservation-closed}); written beside the others
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "field"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @JsonInclude(JsonInclude.Include.NON_NULL) String field,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

  public Problem {
    extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /** A problem of {@code type} with {@code detail}, naming {@code field} (may be null). */
  public static Problem of(ProblemType type, String detail, String field) {
    return new Problem(type.uri(), type.title(), type.status(), detail, field, Map.of());
  }

  /** This problem with the extension members {@code more} besides its own (a name in both: {@code more}'s value). */
  public Problem with(Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(extensions);
    all.putAll(more);
    return new Problem(type, title, status, detail, field, all);
  }

  /** The problem type, or null when {@link #type} is not one of this version's. */
  @JsonIgnore
  public ProblemType problemType() {
    return ProblemType.fromUri(type);
  }
}
