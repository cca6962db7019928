/**
 * The leased-consumer kernel every redis-ext consumer runs on: a handler pool with back-pressure
 * ({@code concurrency} running, {@code prefetch} more held), claims sized to what is free plus the
 * prefetch, lease renewal on one shared scheduler, group-committed settling (ack, retry with
 * backoff, dead letter), a Redis-outage backoff, wake-ups and a graceful shutdown that gives
 * unstarted items back. A module supplies a {@link io.github.redisext.core.consumer.LeasedStore}
 * (its Lua and wire format); the kernel knows no keys.
 */
package io.github.redisext.core.consumer;
