package io.quotient.monitor.projection;

import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.NewEvent;
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
  private final List<NewEvent> appended = new ArrayList<>();

  Batch(String projection, Connection connection, List<Event> events, Instant now, Quotient engine) {
    this.projection = projection;
    this.connection = connection;
    this.events = List.copyOf(events);
    this.now = now;
    this.engine = engine;
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
