package io.quotient.transfer;

import java.time.Instant;

/** The outcome of a transfer that was not refused: done (or replayed), or a reused key. */
public sealed interface TransferResult {
  /**
   * The units moved.
   *
   * @param eventId the {@code transfer} event on {@code from}
   * @param receivedEventId the {@code transfer} event on {@code to}
   * @param fromPlan units that came from {@code from}'s allowance
   * @param fromBonus units that came from {@code from}'s grants
   * @param grantId the grant made on {@code to}
   * @param expiresAt when that grant expires: the end of {@code from}'s window; null for a total limit
   * @param replayed true when this is the stored answer to an earlier request with the same key
   */
  record Transferred(
      long eventId, long receivedEventId, String from, String to, String metric, long amount, long fromPlan,
      long fromBonus, long grantId, Instant expiresAt, boolean replayed) implements TransferResult {}

  /** The idempotency key was used for another request of {@code from}'s; nothing moved. */
  record KeyMismatch(String idempotencyKey) implements TransferResult {}
}
