/**
 * Implementation of {@link io.github.redisext.timers.RedisLock}: its scripts ({@link
 * io.github.redisext.timers.internal.lock.LockEngine}), the resources all locks of one client share
 * (watchdog scheduler, release subscription: {@link
 * io.github.redisext.timers.internal.lock.LockClient}) and the local queue of waiters ({@link
 * io.github.redisext.timers.internal.lock.WaitLine}). Not part of the public API.
 */
package io.github.redisext.timers.internal.lock;
