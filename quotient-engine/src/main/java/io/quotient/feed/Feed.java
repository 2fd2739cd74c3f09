package io.quotient.feed;

import io.quotient.InvalidArgumentException;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Delivers the feed to subscribers: each subscription follows its own cursor on a thread of its
 * own (never the thread that committed the events), reads only while its subscriber has demand
 * (a page at a time, so at most one page ahead), and hands the events over one by one in feed
 * order, never more than requested.
 *
 * <p>A subscription that has caught up reads again when {@link #wake()} says that something may
 * have committed (the engine calls it after each of its own commits), and every poll interval in
 * any case, for what other engine instances commit.
 *
 * <p>Thread-safe.
 */
public final class Feed implements AutoCloseable {
  private final Function<EventQuery, EventPage> reader;
  private final long pollNanos;
  private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private volatile boolean closed;

  private Feed(Function<EventQuery, EventPage> reader, Duration pollInterval) {
    this.reader = reader;
    this.pollNanos = pollInterval.toNanos();
  }

  /**
   * A feed that reads pages with {@code reader} (committed events after {@code query.after()}, in
   * feed order, with the position reached: {@link io.quotient.engine.Quotient#events}'s contract)
   * and polls every {@code pollInterval} once caught up.
   */
  public static Feed over(Function<EventQuery, EventPage> reader, Duration pollInterval) {
    Objects.requireNonNull(reader, "reader");
    InvalidArgumentException.require(
        pollInterval != null && !pollInterval.isNegative() && !pollInterval.isZero(), "feedPollInterval", "must be positive");
    return new Feed(reader, pollInterval);
  }

  /**
   * The feed after {@code from.after()}, filtered by its subject and type, as a publisher: each
   * subscriber gets its own subscription from that position, reading pages of {@code from.limit()}
   * events while it has demand. A read that fails ends the subscription with {@code onError} (resume from the
   * last event's cursor); closing the feed ends it with {@code onComplete}.
   */
  public Flow.Publisher<Event> publisher(EventQuery from) {
    Objects.requireNonNull(from, "from");
    return subscriber -> {
      Objects.requireNonNull(subscriber, "subscriber");
      Follower follower = new Follower(this, subscriber, from, "quotient-feed-" + subscriptions.incrementAndGet());
      followers.add(follower);
      follower.start();
    };
  }

  /** Something may have committed: subscriptions that have caught up read again now. Cheap; never blocks. */
  public void wake() {
    for (Follower follower : followers) {
      follower.wake();
    }
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /**
   * Calls {@code listener} at every {@link #wake()}, on the waking thread (a committing writer):
   * it must be as cheap as an unpark and never block or throw. For readers that follow the feed
   * on their own (the monitor's projections) rather than through a subscription. Closing the
   * returned handle stops the calls.
   */
  public AutoCloseable onWake(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    Runnable own = listener::run; // a distinct element even if the same listener is added twice
    listeners.add(own);
    return () -> listeners.remove(own);
  }

  /** Ends every subscription with {@code onComplete}; later subscribers complete at once. */
  @Override
  public void close() {
    closed = true;
    for (Follower follower : followers) {
      follower.wake();
    }
  }

  boolean isClosed() {
    return closed;
  }

  EventPage read(EventQuery query) {
    return reader.apply(query);
  }

  long pollNanos() {
    return pollNanos;
  }

  void remove(Follower follower) {
    followers.remove(follower);
  }
}
