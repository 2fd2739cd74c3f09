package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/reservations}: what to hold, decided like a consume, and for how long.
 *
 * @param subject whose usage it is
 * @param metric the one metric; null with {@code items}
 * @param amount the one amount; null with {@code items}
 * @param items the items; null with {@code metric} and {@code amount}
 * @param metadata flat string pairs recorded with the event; may be null
 * @param ttlSeconds how long the hold lasts, 1 to 86400 seconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReserveRequest(
    String subject, String metric, Long amount, List<ConsumeRequest.Item> items, Map<String, String> metadata,
    long ttlSeconds) {

  /** Holds {@code request} for {@code ttlSeconds}. */
  public static ReserveRequest of(ConsumeRequest request, long ttlSeconds) {
    return new ReserveRequest(
        request.subject(), request.metric(), request.amount(), request.items(), request.metadata(), ttlSeconds);
  }
}
