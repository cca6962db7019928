/**
 * Typed distributed timers compatible with Python's redis-timers ({@link
 * io.github.redisext.timers.Timers}, {@link io.github.redisext.timers.Router}) and a distributed
 * lock with watchdog and fencing tokens ({@link io.github.redisext.timers.RedisLock}).
 */
package io.github.redisext.timers;
