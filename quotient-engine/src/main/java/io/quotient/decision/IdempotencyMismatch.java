package io.quotient.decision;

/**
 * The idempotency key was used before with other parameters; nothing was decided.
 *
 * @param idempotencyKey the key
 */
public record IdempotencyMismatch(String idempotencyKey) implements ConsumeResult {}
