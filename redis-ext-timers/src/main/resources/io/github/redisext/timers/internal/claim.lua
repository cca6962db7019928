-- claim.lua: claims up to N due timers of one shard for this consumer.
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV[1] most timers to claim, ARGV[2] lease in ms, ARGV[3] token prefix (unique per call),
-- ARGV[4] lock key prefix (lock key = prefix .. timer key), ARGV[5] most due members to look at
-- Reply: {server now ms, score at the head of the timeline after claiming (or nil), number of due
-- timers skipped because another owner holds their lock, then per claimed timer six fields:
-- timer key, due score, hidden score, lock token, payload (or nil), failed attempts so far (or nil)}
-- Atomic: for each timer the lock (SET NX PX, the key and token redis-timers uses) is taken and
-- the timer is hidden from other consumers (its score moved to now + lease) in the same step, so
-- two consumers can never both claim it; if this consumer dies, lock and hidden score run out
-- together and another consumer claims the timer again.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local hidden = ms_to_score(now + lease + 5)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms_to_score(now),
  'LIMIT', 0, tonumber(ARGV[5]), 'WITHSCORES')
local out = {t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)), false, 0}
local claimed, skipped = 0, 0
for i = 1, #due, 2 do
  if claimed >= max then
    break
  end
  local member = due[i]
  local token = ARGV[3] .. ':' .. i
  if redis.call('SET', ARGV[4] .. member, token, 'NX', 'PX', lease) then
    redis.call('ZADD', KEYS[1], 'XX', hidden, member)
    claimed = claimed + 1
    out[#out + 1] = member
    out[#out + 1] = due[i + 1]
    out[#out + 1] = redis.call('ZSCORE', KEYS[1], member)
    out[#out + 1] = token
    out[#out + 1] = redis.call('HGET', KEYS[2], member)
    out[#out + 1] = redis.call('HGET', KEYS[3], member)
  else
    skipped = skipped + 1
  end
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
out[2] = head[2] or false
out[3] = skipped
return out
