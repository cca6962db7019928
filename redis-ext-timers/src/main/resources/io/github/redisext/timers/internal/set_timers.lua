-- set_timers.lua: sets (or replaces) timers of one shard; due time = server TIME + delay.
-- (core_lib.lua is prepended: rx_wrong_type, rx_chunked, rx_chunked_pairs)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH, KEYS[4] dead HASH
-- ARGV[1] '1' = whole-second scores (what Python's redis-timers writes), '0' = millisecond scores
-- ARGV[2..] triples: timer key (ZSET member / HASH field), delay in ms, payload JSON
-- Reply: {server now in ms, member at the head of the timeline, its score}; or the error
-- 'WRONGTYPE redis-ext: ...' naming the first key of another type (then nothing was written).
-- Atomic: the score, the payload and the retry bookkeeping of every timer change together, so no
-- consumer ever sees a due time without its payload, and a re-set timer starts with fresh attempts.
-- Every key's type is checked before the first write, and the writes are chunked (rx_chunked), so
-- no command can fail after the first write, whatever the number of timers.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash', KEYS[4], 'hash')
if bad then
  return redis.error_reply(bad)
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
if nm > 0 then
  rx_chunked_pairs('ZADD', KEYS[1], zargs)
  rx_chunked_pairs('HSET', KEYS[2], hargs)
  if redis.call('EXISTS', KEYS[3]) == 1 then
    rx_chunked('HDEL', KEYS[3], members)
  end
  if redis.call('EXISTS', KEYS[4]) == 1 then
    rx_chunked('HDEL', KEYS[4], members)
  end
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)), head[1] or false,
  head[2] or false}
