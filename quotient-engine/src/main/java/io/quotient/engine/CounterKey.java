package io.quotient.engine;

/** The identity of a counter row; ordered as the rows are locked. */
record CounterKey(String subject, String metric, long windowStart) implements Comparable<CounterKey> {
  @Override
  public int compareTo(CounterKey other) {
    int bySubject = subject.compareTo(other.subject);
    if (bySubject != 0) {
      return bySubject;
    }
    int byMetric = metric.compareTo(other.metric);
    return byMetric != 0 ? byMetric : Long.compare(windowStart, other.windowStart);
  }
}
