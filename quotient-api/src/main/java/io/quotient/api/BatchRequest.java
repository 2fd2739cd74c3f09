package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/consume/batch}: several consumes, each decided on its own, in order.
 *
 * @param requests the consumes, at least one
 */
public record BatchRequest(List<Entry> requests) {

  /**
   * One consume of a batch: a {@link ConsumeRequest} with its own idempotency key.
   *
   * @param subject whose usage it is
   * @param metric the one metric; null with {@code items}
   * @param amount the one amount; null with {@code items}
   * @param items the items; null with {@code metric} and {@code amount}
   * @param metadata flat string pairs recorded with the event; may be null
   * @param idempotencyKey this consume's idempotency key; may be null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      String subject, String metric, Long amount, List<ConsumeRequest.Item> items, Map<String, String> metadata,
      String idempotencyKey) {

    /** {@code request} with {@code idempotencyKey} (may be null). */
    public static Entry of(ConsumeRequest request, String idempotencyKey) {
      return new Entry(
          request.subject(), request.metric(), request.amount(), request.items(), request.metadata(), idempotencyKey);
    }
  }
}
