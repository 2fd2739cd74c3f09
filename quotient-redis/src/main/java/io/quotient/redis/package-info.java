/**
 * Burst-rate limits shared by every engine instance, in Redis: {@link
 * io.quotient.redis.RedisBurstLimiter}, a {@link io.quotient.rate.BurstLimiter} whose token buckets
 * live in Redis (standalone, TLS, or Redis Cluster) and are taken by one atomic Lua script per
 * request, with each instance's own buckets as the fallback while Redis cannot be reached.
 */
package io.quotient.redis;
