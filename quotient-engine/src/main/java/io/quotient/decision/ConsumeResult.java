package io.quotient.decision;

/**
 * What a consume, check or reserve call returns: a decision (granted or denied), a granted
 * reservation, or one of the two idempotency outcomes that are not decisions.
 */
public sealed interface ConsumeResult permits Decision, Reserved, IdempotencyMismatch, IdempotencyInFlight {}
