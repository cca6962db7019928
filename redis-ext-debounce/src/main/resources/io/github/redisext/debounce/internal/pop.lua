-- pop.lua: removes and returns up to ARGV[1] due tasks, earliest first.
-- KEYS: the family (family_lib.lua): [1] tasks ZSET, [2] first-add HASH, [3] processing ZSET,
-- [4] leases HASH, [5] attempts HASH, [6] dead-letter HASH, [7] dead-letter info HASH.
-- ARGV[1] count (>= 1)
-- ARGV[2] how many expired leases to return to the tasks (due now) before popping
-- ARGV[3] max attempts: an expired lease counts as an attempt; the one that reaches this is
--         dead-lettered instead of put back
-- Reply: {now, next due score or '', earliest lease deadline or '',
--        'requeued dead-lettered' (expired leases), m1, m2, ...}
--        (times as strings of epoch seconds; members in due order)
-- Expired leases go back first (leases_lib.lua, prepended when the script is loaded).
-- Atomic: the range read and the removal happen in one script, so every due task goes to exactly
-- one caller however many pop at once; due means score <= the server's TIME. Every key's type is
-- checked before the first write, so no command can fail after it (a failure part-way used to
-- leave the tasks removed and returned to nobody); HDELs go in chunks (rx_chunked).
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nowS = string.format('%.6f', now)
local maxAttempts = tonumber(ARGV[3])
local recovered, dead = return_expired_leases(tonumber(ARGV[2]), maxAttempts, now, nowS)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowS, 'LIMIT', 0, tonumber(ARGV[1]))
local n = #due
if n > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - 1)
  if redis.call('EXISTS', KEYS[2]) == 1 then
    rx_chunked('HDEL', KEYS[2], due)
  end
  -- popped without a lease: the caller owns the task now, its attempt count is over
  if redis.call('EXISTS', KEYS[5]) == 1 then
    rx_chunked('HDEL', KEYS[5], due)
  end
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local nextLease = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local reply = {nowS, nextDue[2] or '', nextLease[2] or '',
  tostring(recovered) .. ' ' .. tostring(dead)}
for i = 1, n do reply[i + 4] = due[i] end
return reply
