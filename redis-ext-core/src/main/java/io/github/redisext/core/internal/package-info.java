/** Implementation details of redis-ext core; not an API. */
package io.github.redisext.core.internal;
