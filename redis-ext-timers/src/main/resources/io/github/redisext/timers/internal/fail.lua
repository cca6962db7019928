-- fail.lua: a handler failed (or the timer cannot be handled): retry later or move it aside.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH, KEYS[4] dead HASH
-- ARGV[1] lock key, ARGV[2] lock token, ARGV[3] timer key, ARGV[4] hidden score set at claim/renewal,
-- ARGV[5] most attempts, ARGV[6] retry delay in ms, ARGV[7] dead record JSON (payload, error, ...),
-- ARGV[8] '1' = move aside now (undecodable payload, no payload, no handler)
-- Reply: {status, attempts}: 'retry' (rescheduled at server now + delay), 'dead' (moved to the
-- dead HASH with its raw payload and error), 'reset' (set again while handled: new version kept),
-- 'lost' (the lock is no longer ours: nothing changed); or the error 'WRONGTYPE redis-ext: ...'
-- naming the first key (the lock key included) of another type: then nothing changed.
-- Atomic: token check, attempt count, reschedule or move aside, and lock release are one step;
-- the timer is never in neither place. Every key's type is checked before the first write.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash', KEYS[4], 'hash',
  ARGV[1], 'string')
if bad then
  return redis.error_reply(bad)
end
if redis.call('GET', ARGV[1]) ~= ARGV[2] then
  return {'lost', 0}
end
redis.call('DEL', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) ~= ARGV[4] then
  return {'reset', 0}
end
local n = redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
if ARGV[8] == '1' or n >= tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[7])
  redis.call('ZREM', KEYS[1], ARGV[3])
  redis.call('HDEL', KEYS[2], ARGV[3])
  redis.call('HDEL', KEYS[3], ARGV[3])
  return {'dead', n}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', ms_to_score(now + tonumber(ARGV[6])), ARGV[3])
return {'retry', n}
