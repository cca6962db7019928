-- lock_release.lua: RedisLock.unlock, compare-and-delete.
-- KEYS[1] lock key
-- ARGV[1] owner token
-- Reply: 1 released, 0 not ours (expired, or held by another owner): nothing changed
-- Atomic: compare-and-delete, so an owner whose lease ran out cannot delete the next owner's lock.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
