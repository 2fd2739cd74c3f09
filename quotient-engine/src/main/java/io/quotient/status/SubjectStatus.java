package io.quotient.status;

import io.quotient.subject.Subject;
import java.util.List;

/**
 * A subject and the state of every metric of its plan.
 *
 * @param subject the subject
 * @param metrics one status per metric of the plan, sorted by metric
 */
public record SubjectStatus(Subject subject, List<MetricStatus> metrics) {
  public SubjectStatus {
    metrics = List.copyOf(metrics);
  }
}
