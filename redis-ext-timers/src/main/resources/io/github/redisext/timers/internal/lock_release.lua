-- lock_release.lua: RedisLock.unlock, compare-and-delete.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] lock key
-- ARGV[1] owner token
-- Reply: 1 released, 0 not ours (expired, or held by another owner): nothing changed; or the
-- error 'WRONGTYPE redis-ext: ...' when the lock key holds another type (nothing changed).
-- Atomic: compare-and-delete, so an owner whose lease ran out cannot delete the next owner's lock.
local bad = rx_wrong_type(KEYS[1], 'string')
if bad then
  return redis.error_reply(bad)
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
