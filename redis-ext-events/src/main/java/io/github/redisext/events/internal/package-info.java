/** Implementation of redis-ext-events: keys, scripts, the subscription store. Not API. */
package io.github.redisext.events.internal;
