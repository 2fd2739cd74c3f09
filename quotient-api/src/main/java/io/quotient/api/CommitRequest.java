package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/reservations/{id}/commit}: the actual amounts, spoken like a consume.
 * Give one form: {@code metric} and {@code amount}, or {@code items}, or {@code amounts}; no body (or
 * an empty one) commits everything held. Each amount is 0 or more and at most what is held; a held
 * metric left out commits 0, and the rest of every hold returns.
 *
 * @param metric the one metric; null in the other forms
 * @param amount its actual amount; null in the other forms
 * @param items the actual amount per metric; null in the other forms
 * @param amounts the actual amount per metric, as an object (the older form); null in the other forms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitRequest(String metric, Long amount, List<ConsumeRequest.Item> items, Map<String, Long> amounts) {

  /** Commits everything held. */
  public static CommitRequest everything() {
    return new CommitRequest(null, null, null, null);
  }

  /** Commits {@code amount} of {@code metric} (other metrics: 0). */
  public static CommitRequest of(String metric, long amount) {
    return new CommitRequest(metric, amount, null, null);
  }

  /** Commits these items (metrics left out: 0). */
  public static CommitRequest ofItems(List<ConsumeRequest.Item> items) {
    return new CommitRequest(null, null, List.copyOf(items), null);
  }
}
