/** Implementation details of redis-ext-streams (keys, scripts, wire JSON, the kernel store); not an API. */
package io.github.redisext.streams.internal;
