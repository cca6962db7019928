/**
 * {@link io.github.redisext.fastset.FastSet}: a {@link java.util.Set} backed by a Redis set, read
 * from a local cache kept fresh by a version counter and pub/sub invalidation, compatible with the
 * Python {@code redis-ext} {@code FastSet}. Options in {@link
 * io.github.redisext.fastset.FastSetOptions}, counters in {@link
 * io.github.redisext.fastset.FastSetStats}.
 */
package io.github.redisext.fastset;
