package io.quotient.engine;

import io.quotient.decision.ItemDecision;
import io.quotient.event.EventItem;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An event's items, kept as the JSON text they were read as and parsed on first use. Every follower
 * of the feed reads every event, and most look at the items of few of them (the webhooks projection
 * with no endpoint at none, alerts only at granted decisions): parsing them all as they were read
 * was the largest share of the projections' CPU (JFR, {@code bench/run http}). Immutable from the
 * outside, and safe to share between threads: two threads that both find it unparsed both parse it,
 * to equal lists. A corrupt document throws {@link IllegalStateException} on first use instead of on
 * reading.
 */
final class ItemsOnUse extends AbstractList<EventItem> implements RandomAccess {
  private final String json;
  private final List<ItemDecision> decided;
  private volatile List<EventItem> parsed;

  private ItemsOnUse(String json, List<ItemDecision> decided) {
    this.json = json;
    this.decided = decided;
  }

  /** The items of {@code json} as written by {@link Json}: empty at once for an empty array. */
  static List<EventItem> of(String json) {
    return json == null || json.equals("[]") ? List.of() : new ItemsOnUse(json, null);
  }

  /** The items a writer decided, as they read back from their JSON (see {@link CommittedEvents}). */
  static List<EventItem> decided(List<ItemDecision> decided) {
    return decided.isEmpty() ? List.of() : new ItemsOnUse(null, decided);
  }

  private List<EventItem> parsed() {
    List<EventItem> items = parsed;
    if (items == null) {
      items = (decided != null ? decided : JsonReader.items(json)).stream().map(Events::toEventItem).toList();
      parsed = items;
    }
    return items;
  }

  @Override
  public EventItem get(int index) {
    return parsed().get(index);
  }

  @Override
  public int size() {
    return parsed().size();
  }
}
