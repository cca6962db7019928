/** Internals of redis-ext-triggers: key layout, scripts, the consumer store, listener and sweeper. */
package io.github.redisext.triggers.internal;
