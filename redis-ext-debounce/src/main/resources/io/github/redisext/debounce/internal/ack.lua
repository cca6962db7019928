-- ack.lua: a consumer finished claimed tasks: drop their leases and attempt counts (group commit:
-- one call for a whole batch of settlements).
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, [4] leases HASH, [5] attempts
-- HASH.
-- ARGV: pairs ARGV[2k-1] owner token, ARGV[2k] the member
-- Reply: the number of leases that were no longer ours (expired, and the task may have been
-- handed to someone else, whose lease and attempt count are left alone); those changed nothing.
-- Atomic: each owner check and removal are one step, the whole batch one script; the key types
-- are checked first, so nothing can fail after the first write. One command per member: no
-- argument list grows with the batch.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local stale = 0
for i = 1, #ARGV, 2 do
  local m = ARGV[i + 1]
  if redis.call('HGET', KEYS[4], m) == ARGV[i] then
    redis.call('ZREM', KEYS[3], m)
    redis.call('HDEL', KEYS[4], m)
    redis.call('HDEL', KEYS[5], m)
  else
    stale = stale + 1
  end
end
return stale
