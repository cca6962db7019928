-- requeue_dead.lua: dead triggers are due again at once, with fresh attempts.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family; ARGV the trigger keys
-- Reply: how many were requeued (the others were not dead any more).
-- Atomic: out of the dead HASH and into the ZSET in one step; types are checked first.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local now = now_ms()
local n = 0
for i = 1, #ARGV do
  local k = ARGV[i]
  if redis.call('HDEL', KEYS[6], k) == 1 then
    forget(k)
    redis.call('ZADD', KEYS[1], now, k)
    redis.call('HSET', KEYS[2], k, now)
    n = n + 1
  end
end
return n
