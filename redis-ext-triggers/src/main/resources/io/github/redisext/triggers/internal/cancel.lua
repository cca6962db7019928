-- cancel.lua: cancels one trigger.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] its identifier index SET, [8] its TTL key (only when the
-- caller deletes it here: standalone; on a cluster it lives in another slot)
-- ARGV[1] trigger key
-- Reply: 1 if a waiting (or running) trigger or its TTL key was removed, else 0.
-- Atomic: due entry, index and TTL key go together; types are checked first. A consumer
-- running it now finds its lease gone when it settles (nothing changes then).
local bad = family_wrong_type() or rx_wrong_type(KEYS[7], 'set')
if not bad and KEYS[8] then bad = rx_wrong_type(KEYS[8], 'string') end
if bad then return redis.error_reply(bad) end
local k = ARGV[1]
local r = redis.call('ZREM', KEYS[1], k)
forget(k)
redis.call('SREM', KEYS[7], k)
if KEYS[8] then r = r + redis.call('DEL', KEYS[8]) end
if r > 0 then return 1 end
return 0
