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
 * @param price what the plan costs; null when no price is set
 * @param upgradeUrl where a subject goes to move to this plan (absolute http or https, at most
 *     2,000 characters); null to use the deployment's
 */
public record Plan(String name, Map<String, Limit> limits, PlanPrice price, String upgradeUrl) {
  public Plan {
    InvalidArgumentException.require(
        upgradeUrl == null || isWebAddress(upgradeUrl), "upgradeUrl", "must be an absolute http or https URL of at most 2000 characters");
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

  /** A plan with no price and no upgrade URL of its own. */
  public Plan(String name, Map<String, Limit> limits) {
    this(name, limits, null, null);
  }

  /** True for an absolute {@code http} or {@code https} URL of at most 2,000 characters. */
  public static boolean isWebAddress(String url) {
    if (url.length() > 2000) {
      return false;
    }
    try {
      java.net.URI uri = new java.net.URI(url);
      return uri.isAbsolute()
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** The limit for {@code metric}, or null when the plan does not include it. */
  public Limit limitOf(String metric) {
    return limits.get(metric);
  }
}
