/**
 * Implementation of {@link io.github.redisext.fastset.FastSet}: the cache engine, change entries
 * and the Lua scripts. Not a public API.
 */
package io.github.redisext.fastset.internal;
