/**
 * A reliable thread-pool worker on a Redis list: subclass {@link io.github.redisext.worker.RedisWork}
 * and implement {@code handle(T)}; push tasks with {@link io.github.redisext.worker.WorkQueue} (or a
 * plain {@code RPUSH} of a JSON document from any language). Delivery is at-least-once with crash
 * recovery, retries with backoff and a dead-letter list.
 */
package io.github.redisext.worker;
