/**
 * {@link io.github.redisext.streams.RedisStream}: a Redis Streams consumer-group processor,
 * crash-safe (leases, reclaim, fenced acks, retries with backoff, an atomic dead-letter stream)
 * and wire-compatible with the Python {@code process-redis-events} library. Start with {@link
 * io.github.redisext.streams.RedisStream}; consumer options are in {@link
 * io.github.redisext.streams.ProcessOptions}, stream options in {@link
 * io.github.redisext.streams.StreamOptions}.
 */
package io.github.redisext.streams;
