-- owed.lua: on a cluster, the TTL keys a setting process did not confirm written (it crashed, or
-- lost Redis, between its set script and its SETs in the TTL keys' slots), for the sweep to write.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the owed ZSET (trigger key -> when armed, epoch ms)
-- ARGV[1] grace in ms (entries younger than this belong to a set still in progress), ARGV[2] most
-- entries to look at
-- Reply: {server now ms, then pairs: trigger key, its due time ms} for the owed triggers still
-- waiting (armed, not running); owed entries of triggers that fired, were cancelled or are
-- running now are dropped here (no TTL key to write: it would be a new trigger for a Python
-- listener and for the adoption).
-- Atomic: reads and drops in one step; types are checked first. The caller writes the TTL keys
-- (SET NX: one written meanwhile by a new set wins) and then drops the entries it returned.
local bad = family_wrong_type() or rx_wrong_type(KEYS[7], 'zset')
if bad then return redis.error_reply(bad) end
local now = now_ms()
local old = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0,
  tonumber(ARGV[2]))
local out = {now}
local drop = {}
for _, k in ipairs(old) do
  local due = redis.call('ZSCORE', KEYS[1], k)
  if due and redis.call('HEXISTS', KEYS[3], k) == 0 then
    out[#out + 1] = k
    out[#out + 1] = due
  else
    drop[#drop + 1] = k
  end
end
if #drop > 0 then rx_chunked('ZREM', KEYS[7], drop) end
return out
