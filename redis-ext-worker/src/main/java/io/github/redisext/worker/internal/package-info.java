/**
 * Implementation of redis-ext-worker: the engine's threads, key layout and Lua scripts. Not an API;
 * it may change in any release.
 */
package io.github.redisext.worker.internal;
