-- remove_timers.lua: removes pending timers of one shard.
-- (core_lib.lua is prepended: rx_wrong_type, rx_chunked)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV: timer keys
-- Reply: how many were in the timeline; or the error 'WRONGTYPE redis-ext: ...' naming the first
-- key of another type (then nothing was removed).
-- Atomic: due time, payload and attempts go together (what redis-timers does with MULTI); the key
-- types are checked before the first write and the removals are chunked (rx_chunked), so no
-- command can fail after the first write, whatever the number of timer keys.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash')
if bad then
  return redis.error_reply(bad)
end
if #ARGV == 0 then
  return 0
end
local n = rx_chunked('ZREM', KEYS[1], ARGV)
rx_chunked('HDEL', KEYS[2], ARGV)
rx_chunked('HDEL', KEYS[3], ARGV)
return n
