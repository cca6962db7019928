/**
 * Implementation of redis-ext-timers: key layout, Lua scripts, the claim/handle/complete engine.
 * Not part of the public API.
 */
package io.github.redisext.timers.internal;
