package io.quotient.server;

import java.time.Duration;

/**
 * Counts the requests in flight so that a shutdown can stop taking new ones and wait for the
 * rest to finish. Thread-safe.
 */
final class Drain {
  private int inFlight;
  private boolean closed;

  /** Admits a request; false once closing. */
  synchronized boolean enter() {
    if (closed) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** A request admitted by {@link #enter} has finished. */
  synchronized void exit() {
    inFlight--;
    if (inFlight == 0) {
      notifyAll();
    }
  }

  synchronized boolean accepting() {
    return !closed;
  }

  /** Stops admitting and waits up to {@code timeout} for the requests in flight; true when none is left. */
  synchronized boolean close(Duration timeout) throws InterruptedException {
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
