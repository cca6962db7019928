-- set.lua: arms (or re-arms) triggers of one shard; due time = server TIME + ttl.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family (triggers_lib.lua), then per trigger: its identifier index SET
-- and, when ARGV[1] is '1', its TTL key (the WIRE-FORMAT section 10 key, written here on a
-- standalone server; on a cluster it lives in another slot and the caller writes it next)
-- ARGV[1] '1' = write the TTL keys here, '0' = not; ARGV[2] the TTL keys' value
-- ('trigger:<UTC ISO time>'); ARGV[3] wake-up channel ('' = none); ARGV[4] this shard's number;
-- then pairs: trigger key, ttl in ms (> 0)
-- Reply: the server time in epoch ms; or the error 'WRONGTYPE redis-ext: ...' naming the first
-- key of another type (then nothing was written).
-- Atomic: due entry, due time, index entry and TTL key change together; the last set wins (a
-- re-arm moves the deadline, resets attempts, drops a lease held on the old deadline and a dead
-- record). Every key's type is checked before the first write; writes of many triggers go in
-- chunks. A wake-up is published when the earliest due time of the shard moves earlier.
local withTtl = ARGV[1] == '1'
local bad = family_wrong_type()
if not bad then
  if withTtl then bad = extras_wrong_type(7, 'set', 'string') else bad = extras_wrong_type(7, 'set') end
end
if bad then return redis.error_reply(bad) end
local per = withTtl and 2 or 1
local n = (#ARGV - 4) / 2
local now = now_ms()
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local zargs, hargs, members = {}, {}, {}
local earliest = nil
for i = 1, n do
  local k = ARGV[3 + 2 * i]
  local due = now + tonumber(ARGV[4 + 2 * i])
  zargs[2 * i - 1] = due
  zargs[2 * i] = k
  hargs[2 * i - 1] = k
  hargs[2 * i] = due
  members[i] = k
  if not earliest or due < earliest then earliest = due end
end
if n > 0 then
  rx_chunked_pairs('ZADD', KEYS[1], zargs)
  rx_chunked_pairs('HSET', KEYS[2], hargs)
  for h = 3, 6 do
    if redis.call('EXISTS', KEYS[h]) == 1 then rx_chunked('HDEL', KEYS[h], members) end
  end
  for i = 1, n do
    local base = 6 + (i - 1) * per
    redis.call('SADD', KEYS[base + 1], members[i])
    if withTtl then
      redis.call('SET', KEYS[base + 2], ARGV[2], 'PX', ARGV[4 + 2 * i])
    end
  end
  if ARGV[3] ~= '' and (not head[2] or earliest < tonumber(head[2])) then
    redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. tostring(earliest))
  end
end
return now
