-- renew.lua: extends the lease of a timer whose handler is still running.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] timeline ZSET
-- ARGV[1] lock key, ARGV[2] lock token, ARGV[3] lease in ms, ARGV[4] timer key,
-- ARGV[5] hidden score set at claim/last renewal
-- Reply: the hidden score to expect from now on (a new one, or ARGV[5] when the timer was set
-- again meanwhile and is left alone), or nil when the lock is no longer ours (lease lost); or the
-- error 'WRONGTYPE redis-ext: ...' naming the timeline or lock key of another type (nothing changed).
-- Atomic: the token check, the lock's new expiry and the timer's new hidden score are one step.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local bad = rx_wrong_type(KEYS[1], 'zset', ARGV[1], 'string')
if bad then
  return redis.error_reply(bad)
end
if redis.call('GET', ARGV[1]) ~= ARGV[2] then
  return false
end
redis.call('PEXPIRE', ARGV[1], ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) ~= ARGV[5] then
  return ARGV[5]
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', ms_to_score(now + tonumber(ARGV[3]) + 5), ARGV[4])
return redis.call('ZSCORE', KEYS[1], ARGV[4])
