-- set_timers.lua: sets (or replaces) timers of one shard; due time = server TIME + delay.
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH, KEYS[4] dead HASH
-- ARGV[1] '1' = whole-second scores (what Python's redis-timers writes), '0' = millisecond scores
-- ARGV[2..] triples: timer key (ZSET member / HASH field), delay in ms, payload JSON
-- Reply: {server now in ms, member at the head of the timeline, its score}
-- Atomic: the score, the payload and the retry bookkeeping of every timer change together, so no
-- consumer ever sees a due time without its payload, and a re-set timer starts with fresh attempts.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local whole = ARGV[1] == '1'
local zargs, hargs, members = {}, {}, {}
local nz, nh, nm = 0, 0, 0
local scores = {}
for i = 2, #ARGV, 3 do
  local delay = ARGV[i + 1]
  local score = scores[delay]
  if not score then
    local due = now + tonumber(delay)
    if whole then
      score = tostring(math.floor(due / 1000))
    else
      score = ms_to_score(due)
    end
    scores[delay] = score
  end
  local member = ARGV[i]
  zargs[nz + 1] = score
  zargs[nz + 2] = member
  nz = nz + 2
  hargs[nh + 1] = member
  hargs[nh + 2] = ARGV[i + 2]
  nh = nh + 2
  nm = nm + 1
  members[nm] = member
end
redis.call('ZADD', KEYS[1], unpack(zargs))
redis.call('HSET', KEYS[2], unpack(hargs))
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HDEL', KEYS[3], unpack(members))
end
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('HDEL', KEYS[4], unpack(members))
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)), head[1] or false,
  head[2] or false}
