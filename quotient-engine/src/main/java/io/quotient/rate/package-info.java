/**
 * Burst rate limits: {@link io.quotient.rate.BurstLimiter}, where the engine takes the tokens of a
 * plan's {@link io.quotient.plan.Rate}. {@link io.quotient.rate.BurstLimiter#inProcess()}, the
 * default, keeps the buckets in the engine's memory; {@code quotient-redis} provides one shared by
 * every instance.
 */
package io.quotient.rate;
