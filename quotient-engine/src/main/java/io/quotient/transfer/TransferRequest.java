package io.quotient.transfer;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;

/**
 * Moves {@code amount} units of {@code metric} from {@code from} to {@code to}: they leave {@code
 * from}'s remaining allowance of its current window (then its grants) and arrive as a grant on
 * {@code to} that expires when {@code from}'s window ends.
 *
 * @param from the giving subject (must exist)
 * @param to the receiving subject (created on the default plan when unknown and there is one)
 * @param metric the metric, in both subjects' plans
 * @param amount units, 1 to 2^53
 * @param idempotencyKey optional; scoped to {@code from}: a retry replays the first transfer
 */
public record TransferRequest(String from, String to, String metric, long amount, String idempotencyKey) {
  public TransferRequest {
    Names.requireId(from, "from");
    Names.requireId(to, "to");
    InvalidArgumentException.require(!from.equals(to), "to", "must differ from 'from'");
    Names.requireName(metric, "metric");
    Names.requireAmount(amount, "amount");
    if (idempotencyKey != null) {
      Names.requireId(idempotencyKey, "idempotencyKey");
    }
  }
}
