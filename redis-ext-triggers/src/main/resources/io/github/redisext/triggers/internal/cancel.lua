-- cancel.lua: cancels one trigger.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the TTL key (only when the caller deletes it here:
-- standalone; on a cluster it lives in another slot)
-- ARGV[1] trigger key
-- Reply: 1 if a waiting (or running) trigger or its TTL key was removed, else 0.
-- Atomic: due entry and TTL key go together; types are checked first. A consumer running it now
-- finds its lease gone when it settles (nothing changes then).
local bad = family_wrong_type()
if not bad and KEYS[7] then bad = rx_wrong_type(KEYS[7], 'string') end
if bad then return redis.error_reply(bad) end
local k = ARGV[1]
local r = redis.call('ZREM', KEYS[1], k)
forget(k)
if KEYS[7] then r = r + redis.call('DEL', KEYS[7]) end
if r > 0 then return 1 end
return 0
