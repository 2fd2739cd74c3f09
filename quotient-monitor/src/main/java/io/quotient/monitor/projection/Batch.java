package io.quotient.monitor.projection;

import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.NewEvent;
import io.quotient.feed.FeedCursor;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of the feed for a {@link Handler}: the events, in feed order, and the transaction they
 * are handled in. Not thread-safe; valid only during {@link Handler#handle}.
 */
public final class Batch {
  private final String projection;
  private final Connection connection;
  private final List<Event> events;
  private final Instant now;
  private final Quotient engine;
  private final FeedCursor after;
  private final FeedCursor until;
  private final List<NewEvent> appended = new ArrayList<>();

  Batch(String projection, Connection connection, List<Event> events, Instant now, Quotient engine, FeedCursor after,
      FeedCursor until) {
    this.projection = projection;
    this.connection = connection;
    this.events = List.copyOf(events);
    this.now = now;
    this.engine = engine;
    this.after = after;
    this.until = until;
  }

  /** The projection's name. */
  public String projection() {
    return projection;
  }

  /** The transaction to write in; it commits together with the projection's cursor. */
  public Connection connection() {
    return connection;
  }

  /** The events, in feed order; never empty. */
  public List<Event> events() {
    return events;
  }

  /** The projection's cursor before this batch: its previous batch, wherever it ran, ended here. */
  public FeedCursor after() {
    return after;
  }

  /**
   * The projection's cursor once this batch commits. A handler that finds the next batch's
   * {@link #after()} equal to this knows that this batch committed and that no other instance
   * handled anything in between, so what it kept in memory of its own rows is still what they hold.
   */
  public FeedCursor until() {
    return until;
  }

  /** The monitor's clock when the batch began. */
  public Instant now() {
    return now;
  }

  /**
   * Adds {@code event} to the feed in this batch's transaction (so it is there exactly when the
   * cursor moves past what caused it). Returns its id.
   */
  public long append(NewEvent event) {
    long id = engine.append(connection, event);
    appended.add(event);
    return id;
  }

  List<NewEvent> appended() {
    return appended;
  }
}
