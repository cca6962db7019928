-- set.lua: arms (or re-arms) triggers of one action in one shard, all with one ttl; due time =
-- server TIME + ttl.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family (triggers_lib.lua), [7] the shard's actions SET (the identifier
-- index: see triggers_lib.lua), then, when ARGV[1] is '1', the TTL keys (the WIRE-FORMAT section
-- 10 keys, written here on a standalone server); when ARGV[1] is '0' (a cluster: the TTL keys
-- live in other slots and the caller writes them next), [8] the owed ZSET: the trigger keys go
-- there (score: now) until the caller confirms their TTL keys written, so a sweep can write those
-- a crashed caller left unwritten
-- ARGV[1] '1' = the TTL keys are KEYS[8..] and are written here, '0' = not; ARGV[2] the TTL keys'
-- value ('trigger:<UTC ISO time>'); ARGV[3] wake-up channel ('' = none); ARGV[4] this shard's
-- number; ARGV[5] the ttl in ms (> 0); ARGV[6] the escaped action; then, when ARGV[1] is '0',
-- the trigger keys
-- Reply: the server time in epoch ms; or the error 'WRONGTYPE redis-ext: ...' naming the first
-- key of another type (then nothing was written).
-- Atomic: due entry, action and TTL key change together; the last set wins (a re-arm moves the
-- deadline, resets attempts, drops a lease held on the old deadline, the due time a claim
-- recorded and a dead record). Every key's type is checked before the first write (the TTL keys
-- with one EXISTS/MGET per 1,000 while they are new or strings); writes of many triggers go in
-- chunks. Per trigger this writes one ZSET member and the TTL key: the identifier index is the
-- actions SET (one SADD per call) and the due time is recorded in the due-at HASH by the first
-- claim (the due ZSET's score is it until then). A wake-up is published when the earliest due
-- time of the shard moves earlier.
local withTtl = ARGV[1] == '1'
local bad = rx_wrong_type(KEYS[1], 'zset') or actions_wrong_type()
if bad then return redis.error_reply(bad) end
-- the HASHes a re-arm clears: only those that exist (and must be HASHes)
local clear = {}
for h = 2, 6 do
  local t = rx_type(KEYS[h])
  if t == 'hash' then
    clear[#clear + 1] = KEYS[h]
  elseif t ~= 'none' then
    return redis.error_reply(rx_wrong_type(KEYS[h], 'hash'))
  end
end
if withTtl then
  bad = strings_wrong_type(8, #KEYS)
else
  bad = rx_wrong_type(KEYS[8], 'zset')
end
if bad then return redis.error_reply(bad) end
local n
if withTtl then n = #KEYS - 7 else n = #ARGV - 6 end
if n < 1 then return now_ms() end
local now = now_ms()
local ttl = ARGV[5]
local due = now + tonumber(ttl)
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
-- score/member pairs, sent straight from this table in slices of RX_CHUNK values (no copies)
local zargs = {}
local score = tostring(due)
for i = 1, n do
  zargs[2 * i - 1] = score
  if withTtl then zargs[2 * i] = KEYS[7 + i] else zargs[2 * i] = ARGV[6 + i] end
end
for i = 1, 2 * n, RX_CHUNK do
  redis.call('ZADD', KEYS[1], unpack(zargs, i, math.min(i + RX_CHUNK - 1, 2 * n)))
end
redis.call('SADD', KEYS[7], ARGV[6])
if #clear > 0 then
  local members = {}
  for i = 1, n do members[i] = zargs[2 * i] end
  for c = 1, #clear do
    rx_chunked('HDEL', clear[c], members)
  end
end
if withTtl then
  local value = ARGV[2]
  for i = 8, #KEYS do
    redis.call('SET', KEYS[i], value, 'PX', ttl)
  end
else
  local owed = {}
  local at = tostring(now)
  for i = 1, n do
    owed[2 * i - 1] = at
    owed[2 * i] = zargs[2 * i]
  end
  for i = 1, 2 * n, RX_CHUNK do
    redis.call('ZADD', KEYS[8], unpack(owed, i, math.min(i + RX_CHUNK - 1, 2 * n)))
  end
end
if ARGV[3] ~= '' and (not head[2] or due < tonumber(head[2])) then
  redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. tostring(due))
end
return now
