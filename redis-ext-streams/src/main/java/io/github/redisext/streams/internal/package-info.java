/** Implementation details of redis-ext-streams (keys, scripts, wire JSON, kernel store); no API. */
package io.github.redisext.streams.internal;
