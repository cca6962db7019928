-- ack.lua: a consumer finished a claimed task: drop its lease and its attempt count.
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, [4] leases HASH, [5] attempts
-- HASH.
-- ARGV[1] owner token, ARGV[2] the member
-- Reply: 1 when the lease was still ours and is gone, 0 when it had expired (and the task may
-- have been handed to someone else, whose lease and attempt count are left alone).
-- Atomic: the owner check and the removal are one step; the key types are checked first, so
-- nothing can fail after the first write.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
if redis.call('HGET', KEYS[4], ARGV[2]) == ARGV[1] then
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('HDEL', KEYS[4], ARGV[2])
  redis.call('HDEL', KEYS[5], ARGV[2])
  return 1
end
return 0
