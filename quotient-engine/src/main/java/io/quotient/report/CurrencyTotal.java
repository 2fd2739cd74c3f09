package io.quotient.report;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The sum of a report's priced lines in one currency (the sum of the rounded line amounts, so it
 * matches the lines).
 *
 * @param currency the currency
 * @param amount every line
 * @param finalAmount the final lines
 * @param provisionalAmount the provisional lines
 */
public record CurrencyTotal(Currency currency, BigDecimal amount, BigDecimal finalAmount, BigDecimal provisionalAmount) {}
