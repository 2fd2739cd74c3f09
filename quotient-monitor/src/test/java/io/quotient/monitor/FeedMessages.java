package io.quotient.monitor;

import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.message.Message;
import io.quotient.monitor.message.Messages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The monitor tests' way to read what the monitor appended: the feed's messages, once it caught up. */
public final class FeedMessages {
  private static final int PAGE = 1000;

  private FeedMessages() {}

  /**
   * The messages of {@code subject} (every subject's when null) whose type {@code type} accepts, in
   * feed order, after {@code monitor} has handled everything committed so far.
   */
  public static List<Message> of(Quotient engine, Monitor monitor, String subject, Predicate<String> type) {
    monitor.catchUp(Duration.ofSeconds(30));
    List<Message> out = new ArrayList<>();
    FeedCursor cursor = FeedCursor.beginning();
    while (true) {
      EventPage page = engine.events(new EventQuery(subject, null, cursor, PAGE));
      for (Event event : page.events()) {
        Messages.of(event).filter(m -> type.test(m.type())).ifPresent(out::add);
      }
      if (page.events().size() < PAGE) {
        return out;
      }
      cursor = page.nextCursor();
    }
  }
}
