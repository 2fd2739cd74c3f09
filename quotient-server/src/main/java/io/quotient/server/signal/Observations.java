package io.quotient.server.signal;

import io.quotient.StorageException;
import io.quotient.monitor.signal.Signals;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server sees that never reaches the feed, reported to the signals: idempotency
 * conflicts (409/422, nothing was decided) and refused credentials (401/403).
 *
 * <p><b>Off the request path.</b> A report is queued with the instant it was seen and handed to
 * the signals ({@link Signals#conflict}, {@link Signals#credentialFailure}: a short transaction
 * each) by one worker thread. Reporting in the request thread would let a flood of bad credentials
 * (which costs the sender nothing) hold every connection of the pool waiting on one address's row,
 * and starve the decisions; queued, refusals use one connection at a time. The queue is bounded: past
 * {@value #CAPACITY} waiting reports new ones are dropped (and counted): by then the burst has long
 * been seen.
 *
 * <p>A report that fails (the database unavailable) is logged and dropped: the caller's answer is
 * already given, and a signal is an observation, not a record anything else depends on.
 * Thread-safe.
 */
public final class Observations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Observations.class);
  static final int CAPACITY = 10_000;

  private final Signals signals;
  private final Clock clock;
  private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread worker;
  private volatile boolean closed;

  /** Starts the worker; {@link #close} stops it. */
  public Observations(Signals signals, Clock clock) {
    this.signals = Objects.requireNonNull(signals, "signals");
    this.clock = Objects.requireNonNull(clock, "clock");
    // A platform thread: a stop waits for it, and it must not wait for a carrier the virtual
    // threads of a busy server hold.
    this.worker = Thread.ofPlatform().daemon().name("quotient-observations").start(this::run);
  }

  /** A request of {@code subject} refused for its idempotency key with {@code status} 409 or 422. */
  public void conflict(String subject, int status) {
    if (subject == null) {
      return; // a refund named by event id: the subject is not known without a read
    }
    Instant at = clock.instant();
    offer(() -> signals.conflict(subject, status, at));
  }

  /**
   * A request from {@code address} refused with {@code status} 401 or 403; {@code keyId} the key
   * it presented when known, {@code subject} the subject of a subject token.
   */
  public void refused(String keyId, String address, String subject, int status) {
    Instant at = clock.instant();
    offer(() -> signals.credentialFailure(keyId, address, subject, status, at));
  }

  /** Reports dropped because the queue was full or the server stopping. */
  public long dropped() {
    return dropped.get();
  }

  private void offer(Runnable report) {
    if (closed || !queue.offer(report)) {
      if (dropped.incrementAndGet() % 1000 == 1) {
        log.warn("signal reports are coming faster than they are handled: {} dropped so far", dropped.get());
      }
    }
  }

  private void run() {
    while (!closed || !queue.isEmpty()) {
      Runnable report;
      try {
        report = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (report == null) {
        continue;
      }
      try {
        report.run();
      } catch (StorageException e) {
        log.warn("could not report to the signals: {}", e.getMessage());
      }
    }
  }

  /** Handles what is queued (for up to two seconds: a report is one short transaction), then stops the worker. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.interrupt();
  }
}
