/** Implementation details of redis-ext-debounce (keys, scripts, wake-ups, consumer loop); not an API. */
package io.github.redisext.debounce.internal;
