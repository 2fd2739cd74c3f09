/** Refunds: giving back all or part of an earlier granted consume, by event id or idempotency key. */
package io.quotient.refund;
