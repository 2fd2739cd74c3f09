package io.quotient.decision;

/**
 * A request with the same idempotency key is still being decided; retry later.
 *
 * @param idempotencyKey the key
 */
public record IdempotencyInFlight(String idempotencyKey) implements ConsumeResult {}
