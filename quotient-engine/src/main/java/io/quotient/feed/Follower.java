package io.quotient.feed;

import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One subscription to the {@link Feed}: a virtual thread that follows a cursor.
 *
 * <p>Every signal to the subscriber ({@code onSubscribe}, {@code onNext}, {@code onError},
 * {@code onComplete}) comes from this thread, so they never overlap and never run on the thread
 * that committed the events. {@link #request} and {@link #cancel} only change fields and unpark the
 * thread, so a subscriber may call them from {@code onNext} or from any other thread.
 *
 * <p>A read asks for at most the outstanding demand, so nothing is read ahead of what the
 * subscriber has requested; the cursor moves past each event as it is handed over, and to the
 * page's {@code nextCursor} once the page is done, which passes events the filter left out.
 */
final class Follower implements Flow.Subscription {
  private final Feed feed;
  private final Flow.Subscriber<? super Event> subscriber;
  private final EventQuery query;
  private final AtomicLong demand = new AtomicLong();
  private final Thread thread;
  private volatile boolean cancelled;
  private volatile boolean woken;
  private volatile long refused; // a request(n) with n <= 0, reported from the thread (§3.9)

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
      refused = n == 0 ? -1 : n;
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
    var cursor = query.after();
    while (!cancelled) {
      if (refused != 0) {
        cancelled = true;
        subscriber.onError(new IllegalArgumentException("request(n) needs n > 0, was " + (refused == -1 ? 0 : refused)));
        return;
      }
      if (feed.isClosed()) {
        cancelled = true;
        subscriber.onComplete();
        return;
      }
      long wanted = demand.get();
      if (wanted == 0) {
        LockSupport.park(this); // until request, cancel or close
        continue;
      }
      int ask = (int) Math.min(wanted, query.limit());
      woken = false; // a commit from now on must cause another read
      EventPage page;
      try {
        page = feed.read(query.after(cursor).limit(ask));
      } catch (RuntimeException e) {
        cancelled = true;
        subscriber.onError(e);
        return;
      }
      for (Event event : page.events()) {
        if (cancelled) {
          return;
        }
        demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
        cursor = event.cursor();
        subscriber.onNext(event);
      }
      cursor = cursor.max(page.nextCursor());
      if (page.events().size() < ask && !woken) {
        LockSupport.parkNanos(this, feed.pollNanos()); // caught up: until a wake or the next poll
      }
    }
  }
}
