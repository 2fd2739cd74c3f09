package io.quotient.decision;

import io.quotient.Names;

/** One metric and the amount of it a request asks for; amounts are 1 to 2^53. */
public record Item(String metric, long amount) {
  public Item {
    Names.requireName(metric, "metric");
    Names.requireAmount(amount, "amount");
  }
}
