-- ack.lua: a consumer finished claimed tasks: drop their leases and attempt counts (group commit:
-- one call for a whole batch of settlements).
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, [4] leases HASH, [5] attempts
-- HASH.
-- ARGV: pairs ARGV[2k-1] owner token, ARGV[2k] the member
-- Reply: the number of leases that were no longer ours (expired: past their deadline, or already
-- put back or handed to someone else, whose lease and attempt count are left alone); those
-- changed nothing (family_lib.lua's lease_held).
-- Atomic: each owner check and removal are one step, the whole batch one script; the key types
-- are checked first, so nothing can fail after the first write. One command per member: no
-- argument list grows with the batch.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local stale = 0
for i = 1, #ARGV, 2 do
  local m = ARGV[i + 1]
  if lease_held(m, ARGV[i], now) then
    redis.call('ZREM', KEYS[3], m)
    redis.call('HDEL', KEYS[4], m)
    redis.call('HDEL', KEYS[5], m)
  else
    stale = stale + 1
  end
end
return stale
