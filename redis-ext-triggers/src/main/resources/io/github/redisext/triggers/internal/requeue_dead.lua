-- requeue_dead.lua: dead triggers are due again at once, with fresh attempts.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the identifier index ZSET; ARGV pairs: trigger key, its index
-- member
-- Reply: how many were requeued (the others were not dead any more).
-- Atomic: out of the dead HASH and into the ZSET in one step; types are checked first.
local bad = family_wrong_type() or index_wrong_type()
if bad then return redis.error_reply(bad) end
local now = now_ms()
local n = 0
for i = 1, #ARGV, 2 do
  local k = ARGV[i]
  if redis.call('HDEL', KEYS[6], k) == 1 then
    forget(k)
    redis.call('ZADD', KEYS[1], now, k)
    redis.call('HSET', KEYS[2], k, now)
    redis.call('ZADD', KEYS[7], 0, ARGV[i + 1])
    n = n + 1
  end
end
return n
