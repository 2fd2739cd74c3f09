package io.quotient.plan;

import io.quotient.InvalidArgumentException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * What a plan costs: an amount in a currency per billing period. Compared between plans of one
 * currency only (a recommendation never converts currencies).
 *
 * @param amount the price per period, zero or more ({@code 0} for a free plan)
 * @param currency ISO 4217 currency
 * @param per the billing period the amount is for
 */
public record PlanPrice(BigDecimal amount, Currency currency, Per per) {
  public PlanPrice {
    InvalidArgumentException.require(amount != null, "price.amount", "is required");
    InvalidArgumentException.require(amount.signum() >= 0, "price.amount", "must not be negative");
    InvalidArgumentException.require(currency != null, "price.currency", "is required");
    InvalidArgumentException.require(per != null, "price.per", "is required");
  }

  /** The price per month: a yearly price divided by 12, kept exact to 6 decimals for comparisons. */
  public BigDecimal monthly() {
    return per == Per.MONTH ? amount : amount.divide(BigDecimal.valueOf(12), 6, java.math.RoundingMode.HALF_EVEN);
  }

  /** The billing period of a price. */
  public enum Per {
    MONTH,
    YEAR;

    /** {@code month} or {@code year}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; null when there is none by that name. */
    public static Per fromWireName(String name) {
      for (Per per : values()) {
        if (per.wireName().equals(name)) {
          return per;
        }
      }
      return null;
    }
  }
}
