/**
 * Building blocks for redis-ext's primitive modules (and for anyone writing their own): a Lua
 * script runner with NOSCRIPT reload, reply helpers, a self-healing pub/sub subscriber, backoff,
 * named threads, argument checks and the server clock. Stable, but not needed by end users.
 */
package io.github.redisext.core.support;
