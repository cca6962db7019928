-- drop_dead.lua: deletes dead timers of one shard for good, each only if its record is still the
-- one the caller listed.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] dead HASH
-- ARGV pairs: timer key, dead record as listed
-- Reply: how many were deleted; or the error 'WRONGTYPE redis-ext: ...' naming the dead key of
-- another type (nothing done).
-- Atomic: compare and delete in one step, so a timer that died again since it was listed (a new
-- record) is not deleted by a purge of the old one.
local bad = rx_wrong_type(KEYS[1], 'hash')
if bad then
  return redis.error_reply(bad)
end
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    n = n + 1
  end
end
return n
