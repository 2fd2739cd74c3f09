package io.quotient.api;

import java.time.Instant;

/**
 * The answer of {@code POST /v1/transfers}: the units moved.
 *
 * @param eventId the {@code transfer} event on {@code from}
 * @param receivedEventId the {@code transfer} event on {@code to}
 * @param from the giving subject
 * @param to the receiving subject
 * @param metric the metric
 * @param amount units moved
 * @param fromPlan units that left {@code from}'s allowance of its current window
 * @param fromBonus units that left {@code from}'s grants
 * @param grantId the grant that holds them on {@code to}
 * @param expiresAt when that grant expires (the end of {@code from}'s window); null for a total limit
 */
public record Transfer(
    String eventId, String receivedEventId, String from, String to, String metric, long amount, long fromPlan,
    long fromBonus, String grantId, Instant expiresAt) {}
