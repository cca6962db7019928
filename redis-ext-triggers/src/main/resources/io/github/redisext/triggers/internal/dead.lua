-- dead.lua: triggers whose last attempt failed (or that cannot be handled) move to the dead HASH.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family
-- ARGV triples: owner token, trigger key, dead record JSON without its closing '}' (the script
-- appends the server time as "failedAt")
-- Reply: how many were no longer ours (nothing changed for them).
-- Atomic: the trigger leaves the ZSET and enters the dead HASH in one step, so it is always in
-- exactly one place; types are checked first.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local now = now_ms()
local stale = 0
for i = 1, #ARGV, 3 do
  local k = ARGV[i + 1]
  if owned(k, ARGV[i]) then
    forget(k)
    redis.call('HSET', KEYS[6], k, ARGV[i + 2] .. ',"failedAt":' .. tostring(now) .. '}')
  else
    stale = stale + 1
  end
end
return stale
