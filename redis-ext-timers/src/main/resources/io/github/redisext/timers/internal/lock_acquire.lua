-- lock_acquire.lua: RedisLock.tryLock, one attempt.
-- KEYS[1] lock key, KEYS[2] fencing counter
-- ARGV[1] owner token, ARGV[2] lease in ms
-- Reply: {1, fencing token} when acquired; {0, remaining lease in ms of the current owner}
-- Atomic: taking the lock and drawing the next fencing token are one step, so fencing tokens
-- increase in the order the lock was acquired.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
