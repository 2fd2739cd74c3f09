package io.quotient.server.api;

import io.quotient.plan.Plan;
import io.quotient.server.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The plans file: {@code {"plans":{"free":{"limits":{…},"price":{…}}, …}}}, each plan in the
 * same form as the body of {@code PUT /v1/plans/{name}}.
 */
public final class PlansFile {
  private PlansFile() {}

  /**
   * Reads the plans in {@code json}.
   *
   * @throws IllegalArgumentException naming the offending field, when the file is not valid
   */
  public static List<Plan> parse(byte[] json) {
    try {
      Body root = Body.parse(json).only(Set.of("plans", "$comment"));
      List<Plan> plans = new ArrayList<>();
      root.object("plans").objectEntries().forEach((name, body) -> {
        Body.within(body.path(), () -> io.quotient.Names.requireName(name, "name"));
        plans.add(Requests.plan(name, body));
      });
      return plans;
    } catch (ProblemException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
