-- release.lua: RedisLock.unlock, compare-and-delete, then tells waiters.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] lock key
-- ARGV[1] owner token, ARGV[2] release channel, ARGV[3] message (releasing client's id + lock key)
-- Reply: 1 released (and ARGV[3] published on ARGV[2]), 0 not ours (expired, or held by another
-- owner): nothing changed, nothing published; or the error 'WRONGTYPE redis-ext: ...' when the
-- lock key holds another type (nothing changed).
-- Atomic: compare-and-delete, so an owner whose lease ran out cannot delete the next owner's lock.
-- Publishing in the same script saves the unlock a round trip; a channel is no key, so this is
-- allowed on a cluster (classic pub/sub reaches every node).
local bad = rx_wrong_type(KEYS[1], 'string')
if bad then
  return redis.error_reply(bad)
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
