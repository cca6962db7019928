/**
 * Key-expiry triggers: {@link io.github.redisext.triggers.ExpiryTriggers} arms a trigger that
 * fires an action's handler once, near its deadline, in exactly one process, whatever happens to
 * keyspace notifications; compatible with the Python {@code RedisTrigger} key format.
 */
package io.github.redisext.triggers;
