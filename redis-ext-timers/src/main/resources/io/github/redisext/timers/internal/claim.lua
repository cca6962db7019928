-- claim.lua: claims up to N due timers of one shard for this consumer.
-- (core_lib.lua is prepended: rx_wrong_type, rx_type)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV[1] most timers to claim, ARGV[2] lease in ms, ARGV[3] token prefix (unique per call),
-- ARGV[4] lock key prefix (lock key = prefix .. timer key), ARGV[5] most due members to look at
-- per page, ARGV[6] separator between topic and timer id, ARGV[7] '1' = leave the timers of
-- topics this consumer does not serve (UnknownTopicPolicy.LEAVE), '0' = claim every topic,
-- ARGV[8] most members to look at in all (LEAVE only: due pages and the search of the next due
-- time), ARGV[9..] the topics this consumer serves (LEAVE only)
-- Reply: {server now ms, score of the earliest timer this consumer may claim after claiming (or
-- nil: none, or not found within ARGV[8] members), number of due timers skipped because another
-- owner holds their lock, number B of due timers whose lock key holds another type than a string,
-- then B such timer keys, then per claimed timer six fields: timer key, due score, hidden score,
-- lock token, payload (or nil), failed attempts so far (or nil)}; or the error
-- 'WRONGTYPE redis-ext: ...' naming the timeline, payloads or attempts key when it holds another
-- type (then nothing changed).
-- Atomic: for each timer the lock (SET NX PX, the key and token redis-timers uses) is taken and
-- the timer is hidden from other consumers (its score moved to now + lease) in the same step, so
-- two consumers can never both claim it; if this consumer dies, lock and hidden score run out
-- together and another consumer claims the timer again. The shared keys' types are checked before
-- the first write; a lock key of another type makes SET NX refuse (no error), and that timer is
-- reported and left alone. With LEAVE, timers of other topics are not touched at all (no lock, no
-- score change): they stay claimable by the consumers that serve them (e.g. Python processes).
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash')
if bad then
  return redis.error_reply(bad)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local page = tonumber(ARGV[5])
local sep = ARGV[6]
local leave = ARGV[7] == '1'
local budget = tonumber(ARGV[8])
local hidden = ms_to_score(now + lease + 5)
local nowscore = ms_to_score(now)

-- served topics, by length (a timer's topic is the text before the first separator; matched with
-- string.find, never string.sub, whose results jedis-mock's Lua mishandles)
local exact, by_len = {}, {}
for i = 9, #ARGV do
  local topic = ARGV[i]
  exact[topic] = true
  local n = #topic
  by_len[n] = by_len[n] or {}
  by_len[n][#by_len[n] + 1] = topic
end
local function serves(member)
  if not leave then
    return true
  end
  local p = string.find(member, sep, 1, true)
  if not p then
    return exact[member] == true
  end
  local list = by_len[p - 1]
  if not list then
    return false
  end
  for k = 1, #list do
    if string.find(member, list[k], 1, true) == 1 then
      return true
    end
  end
  return false
end

local claims = {}
local badlocks = {}
local claimed, skipped, looked = 0, 0, 0
local offset = 0
local exhausted = false
while claimed < max do
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowscore, 'LIMIT', offset, page,
    'WITHSCORES')
  local moved = 0
  for i = 1, #due, 2 do
    if claimed >= max then
      break
    end
    looked = looked + 1
    local member = due[i]
    if serves(member) then
      local token = ARGV[3] .. ':' .. (claimed + skipped + #badlocks + 1)
      local lock = ARGV[4] .. member
      if redis.call('SET', lock, token, 'NX', 'PX', lease) then
        redis.call('ZADD', KEYS[1], 'XX', hidden, member)
        moved = moved + 1
        claimed = claimed + 1
        claims[#claims + 1] = member
        claims[#claims + 1] = due[i + 1]
        claims[#claims + 1] = redis.call('ZSCORE', KEYS[1], member)
        claims[#claims + 1] = token
        claims[#claims + 1] = redis.call('HGET', KEYS[2], member)
        claims[#claims + 1] = redis.call('HGET', KEYS[3], member)
      else
        local lt = rx_type(lock)
        if lt ~= 'string' and lt ~= 'none' then
          badlocks[#badlocks + 1] = member
        else
          skipped = skipped + 1
        end
      end
    end
  end
  if #due < 2 * page then
    exhausted = true
    break
  end
  -- only with LEAVE does a claim look past its first page (timers of other topics may fill it);
  -- claimed timers left the due range, so the next page starts that much earlier
  if not leave or looked >= budget then
    break
  end
  offset = offset + #due / 2 - moved
end

local head = false
if not leave then
  local h = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  head = h[2] or false
elseif exhausted or claimed >= max then
  -- the earliest timer of a served topic (claimed ones included: their hidden score)
  local from = 0
  while looked < budget do
    local h = redis.call('ZRANGE', KEYS[1], from, from + page - 1, 'WITHSCORES')
    for i = 1, #h, 2 do
      looked = looked + 1
      if serves(h[i]) then
        head = h[i + 1]
        break
      end
    end
    if head or #h < 2 * page then
      break
    end
    from = from + page
  end
end

local out = {t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)), head, skipped,
  #badlocks}
for i = 1, #badlocks do
  out[#out + 1] = badlocks[i]
end
for i = 1, #claims do
  out[#out + 1] = claims[i]
end
return out
