package io.quotient.decision;

import java.util.List;

/**
 * The engine's answer to a consume or check: every item granted, or none.
 *
 * @param allowed true when every item was granted
 * @param reason why not, when denied; null when allowed
 * @param eventId the id of the event recording this decision (0 for a check, which records none)
 * @param items one decision per requested item, in request order
 * @param replayed true when this is the stored answer to an earlier request with the same key
 */
public record Decision(boolean allowed, DenialReason reason, long eventId, List<ItemDecision> items, boolean replayed)
    implements ConsumeResult {
  public Decision {
    items = List.copyOf(items);
    if (allowed != (reason == null)) {
      throw new IllegalArgumentException("a decision is allowed exactly when it has no reason");
    }
  }

  /** The same decision, marked as replayed. */
  public Decision asReplay() {
    return new Decision(allowed, reason, eventId, items, true);
  }
}
