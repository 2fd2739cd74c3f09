package io.quotient.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The subjects load falls on: 10,000 spread subjects on the {@code bench} plan, one hot subject on
 * the same plan, and one capped subject whose small limit makes the deny path run.
 */
public final class Subjects {
  /** How many subjects spread load falls on. */
  public static final int SPREAD = 10_000;
  /** The metric every scenario consumes. */
  public static final String METRIC = "ai_generations";
  /** The plan with a limit no run reaches. */
  public static final String BENCH_PLAN = "bench";
  /** Its monthly limit. */
  public static final long BENCH_LIMIT = 1_000_000_000L;
  /** The plan of the capped subject. */
  public static final String CAPPED_PLAN = "bench-capped";
  /** The one hot subject. */
  public static final String HOT = "hot";
  /** The hot subject whose limit is smaller than the demand. */
  public static final String CAPPED = "capped";

  private Subjects() {}

  /** The id of spread subject {@code i}. */
  public static String spread(int i) {
    return "s" + i;
  }

  /** A spread subject's index, picked uniformly at random. */
  public static int randomIndex() {
    return ThreadLocalRandom.current().nextInt(SPREAD);
  }
}
