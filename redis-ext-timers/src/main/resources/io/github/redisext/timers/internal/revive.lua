-- revive.lua: puts a dead timer back on the timeline with its stored payload.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH, KEYS[4] dead HASH
-- ARGV[1] timer key, ARGV[2] dead record as read by the caller, ARGV[3] payload JSON,
-- ARGV[4] delay in ms, ARGV[5] '1' = whole-second score
-- Reply: 1 rescheduled, 0 the dead record changed or vanished since it was read (nothing done);
-- or the error 'WRONGTYPE redis-ext: ...' naming the first key of another type (nothing done).
-- Atomic: the record is compared and moved in one step, so two callers cannot both revive it.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash', KEYS[4], 'hash')
if bad then
  return redis.error_reply(bad)
end
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = now + tonumber(ARGV[4])
local score
if ARGV[5] == '1' then
  score = tostring(math.floor(due / 1000))
else
  score = ms_to_score(due)
end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[1], score, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
