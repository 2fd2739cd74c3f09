package io.quotient.feed;

import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One subscription to the {@link Feed}: a virtual thread that follows a cursor.
 *
 * <p>Every signal to the subscriber ({@code onSubscribe}, {@code onNext}, {@code onError},
 * {@code onComplete}) comes from this thread, so they never overlap and never run on the thread
 * that committed the events. {@link #request} and {@link #cancel} only change fields and unpark the
 * thread, so a subscriber may call them from {@code onNext} or from any other thread.
 *
 * <p>It reads only while the subscriber has demand, a page ({@code query.limit()} events) at a
 * time, and hands the page over no faster than requested: at most one page is held ahead of
 * demand, and a page per read keeps a slow-requesting subscriber from costing a read per event. The
 * next read starts at the page's {@code nextCursor}, which also passes events the filter left out.
 */
final class Follower implements Flow.Subscription {
  private final Feed feed;
  private final Flow.Subscriber<? super Event> subscriber;
  private final EventQuery query;
  private final AtomicLong demand = new AtomicLong();
  private final Thread thread;
  private volatile boolean cancelled;
  private volatile boolean woken;
  private final AtomicReference<IllegalArgumentException> refused = new AtomicReference<>(); // request(n <= 0)

  Follower(Feed feed, Flow.Subscriber<? super Event> subscriber, EventQuery query, String name) {
    this.feed = feed;
    this.subscriber = subscriber;
    this.query = query;
    this.thread = Thread.ofVirtual().name(name).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      // Reported from the thread, like every signal (Reactive Streams §3.9).
      refused.compareAndSet(null, new IllegalArgumentException("request(n) needs n > 0, was " + n));
    } else {
      demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
    }
    LockSupport.unpark(thread);
  }

  @Override
  public void cancel() {
    cancelled = true;
    LockSupport.unpark(thread);
  }

  void wake() {
    woken = true;
    LockSupport.unpark(thread);
  }

  private void run() {
    try {
      subscriber.onSubscribe(this);
      follow();
    } finally {
      feed.remove(this);
    }
  }

  private void follow() {
    Deque<Event> buffer = new ArrayDeque<>(query.limit());
    FeedCursor readAt = query.after();
    while (!cancelled) {
      if (refused.get() != null) {
        cancelled = true;
        subscriber.onError(refused.get());
        return;
      }
      if (feed.isClosed()) {
        cancelled = true;
        subscriber.onComplete();
        return;
      }
      if (demand.get() == 0) {
        LockSupport.park(this); // until request, cancel or close
        continue;
      }
      if (buffer.isEmpty()) {
        woken = false; // a commit from now on must cause another read
        EventPage page;
        try {
          page = feed.read(query.after(readAt));
        } catch (RuntimeException e) {
          cancelled = true;
          subscriber.onError(e);
          return;
        }
        buffer.addAll(page.events());
        readAt = readAt.max(page.nextCursor());
        if (buffer.isEmpty()) {
          if (!woken) {
            LockSupport.parkNanos(this, feed.pollNanos()); // caught up: until a wake or the next poll
          }
          continue;
        }
      }
      while (!buffer.isEmpty() && demand.get() > 0 && !cancelled) {
        demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
        subscriber.onNext(buffer.poll());
      }
    }
  }
}
