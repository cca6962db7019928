/**
 * redis-ext-uniqueid: {@link io.github.redisext.uniqueid.UniqueId} maps names to small integer ids
 * atomically (get-or-create with one Lua script, expiring mappings, Python-compatible key layout)
 * and hands out fast sequence ids with block allocation. Configure it with {@link
 * io.github.redisext.uniqueid.UniqueIdOptions}.
 */
package io.github.redisext.uniqueid;
