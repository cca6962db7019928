-- remove_timers.lua: removes pending timers of one shard.
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV: timer keys
-- Reply: how many were in the timeline
-- Atomic: due time, payload and attempts go together (what redis-timers does with MULTI).
local n = redis.call('ZREM', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[2], unpack(ARGV))
redis.call('HDEL', KEYS[3], unpack(ARGV))
return n
