/** Internals of redis-ext-triggers: key layout, scripts, consumer store, listener, sweeper. */
package io.github.redisext.triggers.internal;
