-- dead.lua: triggers whose last attempt failed (or that cannot be handled) move to the dead HASH.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the identifier index ZSET
-- ARGV quadruples: owner token, trigger key, dead record JSON without its closing '}' (the
-- script appends the server time as "failedAt"), its index member
-- Reply: how many were no longer ours (nothing changed for them).
-- Atomic: the trigger leaves the ZSET and enters the dead HASH in one step, so it is always in
-- exactly one place; types are checked first.
local bad = family_wrong_type() or index_wrong_type()
if bad then return redis.error_reply(bad) end
local now = now_ms()
local stale = 0
for i = 1, #ARGV, 4 do
  local k = ARGV[i + 1]
  if owned(k, ARGV[i]) then
    forget(k)
    redis.call('ZREM', KEYS[7], ARGV[i + 3])
    redis.call('HSET', KEYS[6], k, ARGV[i + 2] .. ',"failedAt":' .. tostring(now) .. '}')
  else
    stale = stale + 1
  end
end
return stale
