package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/consume} and {@code POST /v1/check}: one metric and amount, or
 * several items decided together (every item or none). Give {@code metric} and {@code amount}, or
 * {@code items}, never both.
 *
 * @param subject whose usage it is (created on the default plan when unknown, if one is configured)
 * @param metric the one metric; null with {@code items}
 * @param amount the one amount, 1 to 2^53; null with {@code items}
 * @param items the items; null with {@code metric} and {@code amount}
 * @param metadata flat string pairs recorded with the event (at most 50); may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsumeRequest(String subject, String metric, Long amount, List<Item> items, Map<String, String> metadata) {

  /** One metric and amount. */
  public static ConsumeRequest of(String subject, String metric, long amount) {
    return new ConsumeRequest(subject, metric, amount, null, null);
  }

  /** Several items, decided together. */
  public static ConsumeRequest ofItems(String subject, List<Item> items) {
    return new ConsumeRequest(subject, null, null, List.copyOf(items), null);
  }

  /** This request with {@code metadata}. */
  public ConsumeRequest withMetadata(Map<String, String> metadata) {
    return new ConsumeRequest(subject, metric, amount, items, metadata);
  }

  /**
   * One item of a request: a metric and an amount.
   *
   * @param metric the metric, {@code [a-z0-9_.-]{1,64}}
   * @param amount the amount, 1 to 2^53 (0 allowed when committing a reservation)
   */
  public record Item(String metric, long amount) {}
}
