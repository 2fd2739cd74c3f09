package io.quotient.decision;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.subject.Subject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request to consume (or check, or reserve) several items for one subject, all or nothing.
 *
 * @param subject the subject's id
 * @param items one to {@value #MAX_ITEMS} items, each metric at most once
 * @param idempotencyKey optional; a retry with the same key replays the first decision
 * @param scope the caller (the credential), recorded as the actor on the event; never null. The
 *     idempotency key is scoped to the subject, not to this: a retry through another caller replays
 * @param metadata free-form context recorded with the event
 */
public record ConsumeRequest(
    String subject, List<Item> items, String idempotencyKey, String scope, Map<String, String> metadata) {
  /** Most items in one request. */
  public static final int MAX_ITEMS = 32;

  /** The scope of requests made without a credential (in-process callers). */
  public static final String DEFAULT_SCOPE = "";

  public ConsumeRequest {
    Names.requireId(subject, "subject");
    InvalidArgumentException.require(items != null && !items.isEmpty(), "items", "must hold at least one item");
    InvalidArgumentException.require(items.size() <= MAX_ITEMS, "items", "must hold at most " + MAX_ITEMS + " items");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      InvalidArgumentException.require(item != null, "items[" + i + "]", "must not be null");
      InvalidArgumentException.require(
          seen.add(item.metric()), "items[" + i + "].metric", "'" + item.metric() + "' appears twice");
    }
    items = List.copyOf(items);
    if (idempotencyKey != null) {
      Names.requireId(idempotencyKey, "idempotencyKey");
    }
    scope = scope == null ? DEFAULT_SCOPE : scope;
    metadata = Subject.Metadata.check(metadata, "metadata");
  }

  /** One item, no key. */
  public static ConsumeRequest of(String subject, String metric, long amount) {
    return new ConsumeRequest(subject, List.of(new Item(metric, amount)), null, null, null);
  }

  /** Several items, no key. */
  public static ConsumeRequest of(String subject, Item... items) {
    return new ConsumeRequest(subject, List.of(items), null, null, null);
  }

  /** The same request with an idempotency key. */
  public ConsumeRequest withIdempotencyKey(String key) {
    return new ConsumeRequest(subject, items, key, scope, metadata);
  }

  /** The same request made by another caller (credential id). */
  public ConsumeRequest withScope(String value) {
    return new ConsumeRequest(subject, items, idempotencyKey, value, metadata);
  }

  /** The same request with metadata to record. */
  public ConsumeRequest withMetadata(Map<String, String> value) {
    return new ConsumeRequest(subject, items, idempotencyKey, scope, value);
  }
}
