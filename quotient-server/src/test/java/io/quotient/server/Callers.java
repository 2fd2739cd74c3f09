package io.quotient.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many {@link KeepAliveCaller}s consuming at once, one platform thread each, each on a subject of
 * its own, with their tallies summed.
 */
final class Callers implements AutoCloseable {
  final List<KeepAliveCaller> callers = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();

  static Callers start(int port, String serviceKey, int count, String subjectPrefix) {
    Callers result = new Callers();
    for (int i = 0; i < count; i++) {
      KeepAliveCaller caller = new KeepAliveCaller(port, serviceKey, subjectPrefix + i, result.stop);
      result.callers.add(caller);
      Thread.ofPlatform().daemon(true).name("caller-" + i).start(caller);
    }
    return result;
  }

  /** Waits until every caller has had {@code each} answers; false when one stopped first or time ran out. */
  boolean awaitAnswers(int each, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (KeepAliveCaller caller : callers) {
      while (caller.progress < each) {
        if (caller.done.getCount() == 0 || System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(10);
      }
    }
    return true;
  }

  /** Waits for every caller to stop by itself; false when one is still calling after {@code timeout}. */
  boolean awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (KeepAliveCaller caller : callers) {
      if (!caller.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  List<Long> granted() {
    return callers.stream().flatMap(c -> c.granted.stream()).toList();
  }

  int resets() {
    return callers.stream().mapToInt(c -> c.resets).sum();
  }

  int shuttingDown() {
    return callers.stream().mapToInt(c -> c.shuttingDown).sum();
  }

  List<String> unexpected() {
    return callers.stream().flatMap(c -> c.unexpected.stream()).toList();
  }

  /** One line per caller: its tallies, for assertion messages. */
  String summary() {
    StringBuilder out = new StringBuilder();
    for (KeepAliveCaller c : callers) {
      out.append(String.format("answers %d, granted %d, shutting-down %d, refused %d, resets %d%s%n", c.answers,
          c.granted.size(), c.shuttingDown, c.refused, c.resets, c.lastReset == null ? "" : " (" + c.lastReset + ")"));
    }
    return out.toString();
  }

  @Override
  public void close() {
    stop.set(true);
    try {
      awaitDone(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
