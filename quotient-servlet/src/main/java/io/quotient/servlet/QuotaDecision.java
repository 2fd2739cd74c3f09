package io.quotient.servlet;

import io.quotient.api.Decision;
import java.util.List;

/**
 * What the filter decided for a request, set as the request attribute {@link #ATTRIBUTE} before
 * the handler runs (the seeds' {@code context.quota}).
 *
 * @param subject the subject the request was counted for
 * @param items per metric, the state after the decision (limit, remaining, reset); empty when
 *     Quotient could not be asked and the route lets requests through ({@code checked} false)
 * @param reservationId the hold of a {@code charge-on-success} route, committed when the answer
 *     succeeds and released otherwise; null for {@code consume}
 * @param checked false when Quotient could not be asked and a fail-open route let the request
 *     through uncounted
 */
public record QuotaDecision(String subject, List<Decision.Item> items, String reservationId, boolean checked) {
  /** The request attribute's name. */
  public static final String ATTRIBUTE = "io.quotient.servlet.QuotaDecision";

  public QuotaDecision {
    items = List.copyOf(items);
  }

  /** Units of {@code metric} left after this request; null when unlimited, unknown or not charged here. */
  public Long remaining(String metric) {
    return items.stream().filter(i -> i.metric().equals(metric)).findFirst().map(Decision.Item::remaining).orElse(null);
  }
}
