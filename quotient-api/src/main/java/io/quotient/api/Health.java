package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of {@code GET /health/live} (status only) and {@code GET /health/ready}.
 *
 * @param status {@code up} or {@code down}
 * @param database {@code up} or {@code down}; only in readiness
 * @param accepting whether the server takes new requests (false while it stops); only in readiness
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Health(String status, String database, Boolean accepting) {

  /** The liveness answer: the process is up. */
  public static Health live() {
    return new Health("up", null, null);
  }
}
