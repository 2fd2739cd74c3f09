package io.quotient.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One request's result in a batch: its decision, or the problem that kept it from one (an
 * idempotency key reused with other parameters, or still in flight). Told apart by their members.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({@JsonSubTypes.Type(BatchResult.Decided.class), @JsonSubTypes.Type(BatchResult.Failed.class)})
public sealed interface BatchResult {

  /**
   * A decision, as {@link Decision}, and whether it was replayed for its idempotency key.
   *
   * @param allowed true when every item was granted
   * @param reason why it was denied; null when allowed
   * @param eventId the decision's event
   * @param items one per item
   * @param replayed true when this is the stored decision of an earlier request with the same key
   */
  record Decided(boolean allowed, String reason, String eventId, List<Decision.Item> items, boolean replayed)
      implements BatchResult {

    /** {@code decision}, replayed or not. */
    public static Decided of(Decision decision, boolean replayed) {
      return new Decided(decision.allowed(), decision.reason(), decision.eventId(), decision.items(), replayed);
    }
  }

  /**
   * A request that got no decision.
   *
   * @param error why, as a problem naming the field ({@code idempotencyKey})
   */
  record Failed(Problem error) implements BatchResult {}
}
