-- renew.lua: RedisLock watchdog, extends the lease if the lock is still ours.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] lock key
-- ARGV[1] owner token, ARGV[2] lease in ms
-- Reply: 1 extended, 0 not ours any more (expired, or taken by another owner); or the error
-- 'WRONGTYPE redis-ext: ...' when the lock key holds another type (nothing changed).
-- Atomic: compare-and-expire, so an expired lock taken by someone else is never extended.
local bad = rx_wrong_type(KEYS[1], 'string')
if bad then
  return redis.error_reply(bad)
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
