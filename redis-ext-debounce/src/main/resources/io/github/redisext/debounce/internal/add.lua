-- add.lua: adds tasks (keep-first or debounce) with due = server TIME + delay.
-- KEYS: the family (family_lib.lua); writes [1] tasks ZSET and [2] first-add HASH.
-- ARGV[1] delay in microseconds (>= 0)
-- ARGV[2] policy: 'keep-first' (ZADD NX: the first due time wins) or 'debounce' (each add moves
--         the due time to now + delay)
-- ARGV[3] maximum wait in microseconds for 'debounce', or '-1' for none: the due time never
--         moves past first add + maximum wait
-- ARGV[4] wake-up channel, or '' for none: gets a PUBLISH when the earliest due time moves earlier
-- ARGV[5..] the members (canonical JSON)
-- Reply: the number of members that were not waiting before (newly added).
-- Atomic: one script reads the clock, the earliest due time and every member's state, so no
-- other client sees a half-applied batch or can interleave between the check and the write. The
-- key types are checked before the first write (nothing else can fail after it); ZADDs go in
-- chunks (rx_chunked_pairs), so no call takes more arguments than Lua can unpack.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local due = now + tonumber(ARGV[1]) / 1000000
local dueS = string.format('%.6f', due)
local policy = ARGV[2]
local maxWait = tonumber(ARGV[3])
local n = #ARGV - 4
local before = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local earliest = nil
if #before > 0 then earliest = tonumber(before[2]) end
local added = 0
local lowest = nil
if policy == 'keep-first' or maxWait < 0 then
  local scored = {}
  for i = 5, #ARGV do
    scored[#scored + 1] = dueS
    scored[#scored + 1] = ARGV[i]
  end
  if policy == 'keep-first' then
    added = rx_chunked_pairs('ZADD', KEYS[1], scored, {'NX'})
    if added > 0 then lowest = due end
  else
    local before_n = redis.call('ZCARD', KEYS[1])
    rx_chunked_pairs('ZADD', KEYS[1], scored)
    added = redis.call('ZCARD', KEYS[1]) - before_n
    if n > 0 then lowest = due end
  end
else
  local nowS = string.format('%.6f', now)
  for i = 5, #ARGV do
    local m = ARGV[i]
    local d = due
    if redis.call('ZSCORE', KEYS[1], m) then
      local first = tonumber(redis.call('HGET', KEYS[2], m))
      if not first then
        first = now
        redis.call('HSET', KEYS[2], m, nowS)
      end
      local limit = first + maxWait / 1000000
      if d > limit then d = limit end
    else
      added = added + 1
      redis.call('HSET', KEYS[2], m, nowS)
    end
    redis.call('ZADD', KEYS[1], string.format('%.6f', d), m)
    if lowest == nil or d < lowest then lowest = d end
  end
end
if ARGV[4] ~= '' and lowest ~= nil and (earliest == nil or lowest < earliest) then
  redis.call('PUBLISH', ARGV[4], string.format('%.6f', lowest))
end
return added
