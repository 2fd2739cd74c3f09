package io.quotient.plan;

import io.quotient.InvalidArgumentException;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * The price of one unit consumed past a soft limit.
 *
 * @param amount price per unit, zero or more
 * @param currency ISO 4217 currency
 */
public record OveragePrice(BigDecimal amount, Currency currency) {
  public OveragePrice {
    InvalidArgumentException.require(amount != null, "overagePrice.amount", "is required");
    InvalidArgumentException.require(amount.signum() >= 0, "overagePrice.amount", "must not be negative");
    InvalidArgumentException.require(currency != null, "overagePrice.currency", "is required");
  }

  /** The cost of {@code units} units of overage. */
  public BigDecimal costOf(long units) {
    return amount.multiply(BigDecimal.valueOf(units));
  }
}
