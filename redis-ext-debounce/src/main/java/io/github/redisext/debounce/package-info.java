/**
 * {@link io.github.redisext.debounce.DebounceTask}: a deduplicating delay/debounce scheduler on a
 * Redis sorted set, wire-compatible with the Python {@code DebounceInfoTask}. Start with {@link
 * io.github.redisext.debounce.DebounceTask}; options are in {@link
 * io.github.redisext.debounce.DebounceOptions}.
 */
package io.github.redisext.debounce;
