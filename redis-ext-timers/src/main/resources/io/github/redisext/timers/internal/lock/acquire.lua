-- acquire.lua: RedisLock.tryLock, one attempt.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] lock key, KEYS[2] fencing counter
-- ARGV[1] owner token, ARGV[2] lease in ms
-- Reply: {1, fencing token} when acquired; {0, remaining lease in ms of the current owner}; or the
-- error 'WRONGTYPE redis-ext: ...' naming a key of another type than a string, or
-- 'ERR redis-ext: ...' when the fencing counter is not an integer (then nothing changed).
-- Atomic: taking the lock and drawing the next fencing token are one step, so fencing tokens
-- increase in the order the lock was acquired. Both keys are checked before the first write, so
-- the INCR cannot fail after the lock was taken.
local bad = rx_wrong_type(KEYS[1], 'string', KEYS[2], 'string')
if bad then
  return redis.error_reply(bad)
end
local fence = redis.call('GET', KEYS[2])
if fence and not string.match(fence, '^%-?%d+$') then
  return redis.error_reply('ERR redis-ext: the fencing counter at key ' .. KEYS[2]
    .. ' is not an integer; nothing was changed (fix or delete the key)')
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
