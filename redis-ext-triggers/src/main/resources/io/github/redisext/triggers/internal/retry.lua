-- retry.lua: handlers failed with attempts left: each trigger counts the failure and is due
-- again after its retry delay.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family; ARGV triples: owner token, trigger key, retry delay in ms
-- Reply: how many were no longer ours (nothing changed for them).
-- Atomic: owner check, count, lease drop and new due time in one step; types are checked first.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local now = now_ms()
local stale = 0
for i = 1, #ARGV, 3 do
  local k = ARGV[i + 1]
  if owned(k, ARGV[i]) then
    local failed = (tonumber(redis.call('HGET', KEYS[4], k)) or 0) + 1
    redis.call('HSET', KEYS[4], k, failed)
    redis.call('HDEL', KEYS[3], k)
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[i + 2]), k)
  else
    stale = stale + 1
  end
end
return stale
