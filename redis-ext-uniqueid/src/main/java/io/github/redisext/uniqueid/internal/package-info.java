/** Implementation of redis-ext-uniqueid: the Lua scripts' call sites and the block sequence. */
package io.github.redisext.uniqueid.internal;
