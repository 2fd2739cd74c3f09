package io.quotient.report;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * One subject's overage of one metric in a month: the units counted past a soft limit in the
 * windows that start in the month, and what they cost.
 *
 * @param subject the subject
 * @param plan its plan now (whose price applies)
 * @param metric the metric
 * @param units overage units
 * @param unitPrice the plan's price per unit; null when the plan prices none
 * @param currency the price's currency; null without a price
 * @param amount {@code units × unitPrice} rounded half-up to the currency's minor unit (2 places for
 *     EUR, 0 for JPY, 3 for BHD); null without a price
 * @param isFinal true when every window counted has ended (the figure will not change); false while
 *     one is still open (provisional)
 */
public record OverageLine(
    String subject, String plan, String metric, long units, BigDecimal unitPrice, Currency currency, BigDecimal amount,
    boolean isFinal) {}
