-- claim.lua: claims up to N due timers of one shard for this consumer, in one call.
-- (core_lib.lua is prepended: rx_wrong_type, rx_type, rx_chunked, rx_chunked_pairs)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV[1] most timers to claim, ARGV[2] lease in ms, ARGV[3] owner token (unique per call; the
-- value of every lock this call takes), ARGV[4] lock key prefix (lock key = prefix .. timer key),
-- ARGV[5] most due members to look at per page, ARGV[6] separator between topic and timer id,
-- ARGV[7] '1' = leave the timers of topics this consumer does not serve (UnknownTopicPolicy.LEAVE),
-- '0' = claim every topic, ARGV[8] most members to look at in all (LEAVE only: due pages and the
-- search of the next due time), ARGV[9..] the topics this consumer serves (LEAVE only)
-- Reply: {server now ms, score of the earliest timer this consumer may claim after claiming (or
-- nil: none, or not found within ARGV[8] members), number of due timers skipped because another
-- owner holds their lock, {timer keys whose lock key holds another type than a string}, hidden
-- score of the claimed timers, {claimed timer keys}, {their due scores}, {their payloads ('' when
-- missing)}, {positions (1-based) of the claimed timers whose payload is missing}, {position,
-- failed attempts so far} pairs for the claimed timers that failed before};
-- or the error 'WRONGTYPE redis-ext: ...' naming the timeline, payloads or attempts key when it
-- holds another type (then nothing changed).
-- Lock keys are NOT in KEYS: which timers are due is only known inside the script, and their lock
-- keys ('consume-lock--<topic>--<id>', or '{name:i}:consume-lock--...' when sharded) are the ones
-- Python's redis-timers takes, so they cannot be renamed into a key the caller could pass. With
-- the sharded layout every lock key carries the shard's hash tag, so the script still touches one
-- cluster slot; the Python layout runs on standalone Redis (or Sentinel) only.
-- Atomic: for each timer the lock (SET NX PX, the key redis-timers uses) is taken and the timer is
-- hidden from other consumers (its score moved to now + lease) in the same step, so two consumers
-- can never both claim it; if this consumer dies, lock and hidden score run out together and
-- another consumer claims the timer again. The shared keys' types are checked before the first
-- write; a lock key of another type makes SET NX refuse (no error), and that timer is reported and
-- left alone. With LEAVE, timers of other topics are not touched at all (no lock, no score
-- change): they stay claimable by the consumers that serve them (e.g. Python processes).
-- Cost: one SET per timer; the hiding ZADD, the payload HMGET and the attempts HMGET are one
-- (chunked) call for the whole claim.
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
local token = ARGV[3]
local prefix = ARGV[4]
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

local members, dues, pairs_ = {}, {}, {}
local badlocks = {}
local claimed, skipped, looked = 0, 0, 0
local offset = 0
local exhausted = false
while claimed < max do
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowscore, 'LIMIT', offset, page,
    'WITHSCORES')
  for i = 1, #due, 2 do
    if claimed >= max then
      break
    end
    looked = looked + 1
    local member = due[i]
    if serves(member) then
      local lock = prefix .. member
      if redis.call('SET', lock, token, 'NX', 'PX', lease) then
        claimed = claimed + 1
        members[claimed] = member
        dues[claimed] = due[i + 1]
        pairs_[2 * claimed - 1] = hidden
        pairs_[2 * claimed] = member
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
  -- the timers claimed so far are still in the due range (hidden below), so pages go on in order
  if not leave or looked >= budget then
    break
  end
  offset = offset + #due / 2
end

-- missing payloads are '' in the list and their positions are listed apart (a nil inside a nested
-- reply table is not portable: jedis-mock's Lua drops it); only non-zero attempts are listed
local payloads, missing, attempts = {}, {}, {}
if claimed > 0 then
  rx_chunked_pairs('ZADD', KEYS[1], pairs_, {'XX'})
  local with_attempts = redis.call('EXISTS', KEYS[3]) == 1
  local i = 1
  while i <= claimed do
    local j = math.min(i + RX_CHUNK - 1, claimed)
    local got = redis.call('HMGET', KEYS[2], unpack(members, i, j))
    local tries = with_attempts and redis.call('HMGET', KEYS[3], unpack(members, i, j)) or {}
    for k = 1, j - i + 1 do
      local v = got[k]
      -- (jedis-mock's HMGET answers '' for a missing field: HEXISTS tells)
      if v and (v ~= '' or redis.call('HEXISTS', KEYS[2], members[i + k - 1]) == 1) then
        payloads[i + k - 1] = v
      else
        payloads[i + k - 1] = ''
        missing[#missing + 1] = i + k - 1
      end
      local n = tries[k]
      if n and n ~= '' and n ~= '0' then
        attempts[#attempts + 1] = i + k - 1
        attempts[#attempts + 1] = n
      end
    end
    i = j + 1
  end
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

return {t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)), head, skipped,
  badlocks, hidden, members, dues, payloads, missing, attempts}
