-- complete.lua: a handler finished: removes the timer and releases its lock.
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV[1] lock key, ARGV[2] lock token, ARGV[3] timer key, ARGV[4] hidden score set at claim/renewal
-- Reply: 1 removed; 2 lock released, but the timer was set again (or removed) while its handler
-- ran, so the new version is kept; 0 the lock is no longer ours (lease lost): nothing changed.
-- Atomic: the token check, the removal and the compare-and-delete release are one step, so a
-- consumer whose lease ran out (e.g. a GC pause) can never remove a timer another consumer owns.
if redis.call('GET', ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('DEL', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) == ARGV[4] then
  redis.call('ZREM', KEYS[1], ARGV[3])
  redis.call('HDEL', KEYS[2], ARGV[3])
  redis.call('HDEL', KEYS[3], ARGV[3])
  return 1
end
return 2
