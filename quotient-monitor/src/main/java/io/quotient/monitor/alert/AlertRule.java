package io.quotient.monitor.alert;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * Which thresholds alert, for a plan and a metric (either null: any).
 *
 * @param name the rule's name
 * @param plan the plan it applies to; null for every plan
 * @param metric the metric it applies to; null for every metric
 * @param thresholds percentages of the allowance (1 to 1000), ascending, distinct, 1 to 10 of them
 * @param updatedAt when it was last written; null before it is stored
 */
public record AlertRule(String name, String plan, String metric, List<Integer> thresholds, Instant updatedAt) {
  /** The thresholds that apply where no rule does: 80 (warning), 95 (critical), 100 (exceeded). */
  public static final List<Integer> DEFAULT_THRESHOLDS = List.of(80, 95, 100);

  public AlertRule {
    Names.requireName(name, "name");
    if (plan != null) {
      Names.requireName(plan, "plan");
    }
    if (metric != null) {
      Names.requireName(metric, "metric");
    }
    InvalidArgumentException.require(thresholds != null && !thresholds.isEmpty(), "thresholds", "must list 1 to 10 percentages");
    InvalidArgumentException.require(thresholds.size() <= 10, "thresholds", "must list at most 10 percentages");
    TreeSet<Integer> sorted = new TreeSet<>();
    for (int i = 0; i < thresholds.size(); i++) {
      Integer t = thresholds.get(i);
      InvalidArgumentException.require(t != null && t >= 1 && t <= 1000, "thresholds[" + i + "]", "must be a percentage from 1 to 1000");
      InvalidArgumentException.require(sorted.add(t), "thresholds[" + i + "]", "repeats " + t);
    }
    thresholds = List.copyOf(sorted);
  }

  /**
   * The level of a threshold: {@code exceeded} from 100 %, {@code critical} from 90 %, else
   * {@code warning} (so the defaults are warning, critical, exceeded).
   */
  public static String level(int threshold) {
    return threshold >= 100 ? "exceeded" : threshold >= 90 ? "critical" : "warning";
  }
}
