package io.quotient.plan;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named set of limits, one per metric. A metric absent from a subject's plan is denied with
 * {@code metric_not_in_plan}.
 *
 * @param name the plan's name, as {@link Names#METRIC}
 * @param limits the limit of each metric, by metric name (kept sorted)
 */
public record Plan(String name, Map<String, Limit> limits) {
  public Plan {
    Names.requireName(name, "name");
    InvalidArgumentException.require(limits != null, "limits", "is required");
    TreeMap<String, Limit> sorted = new TreeMap<>();
    limits.forEach(
        (metric, limit) -> {
          Names.requireName(metric, "limits");
          InvalidArgumentException.require(limit != null, "limits." + metric, "is required");
          sorted.put(metric, limit);
        });
    limits = java.util.Collections.unmodifiableMap(sorted);
  }

  /** The limit for {@code metric}, or null when the plan does not include it. */
  public Limit limitOf(String metric) {
    return limits.get(metric);
  }
}
