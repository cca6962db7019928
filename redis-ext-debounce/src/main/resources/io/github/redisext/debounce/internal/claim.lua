-- claim.lua: like pop.lua, but each popped task moves into the processing ZSET with a lease, so a
-- consumer that dies before acknowledging it does not lose it (the lease runs out, any later
-- pop/claim puts it back, due at once).
-- KEYS: the family (family_lib.lua): [1] tasks ZSET, [2] first-add HASH, [3] processing ZSET
-- (member -> lease deadline, epoch seconds), [4] leases HASH (member -> owner token), [5] attempts
-- HASH, [6] dead-letter HASH, [7] dead-letter info HASH.
-- ARGV[1] count (>= 1)
-- ARGV[2] how many expired leases to return to the tasks (due now) before claiming
-- ARGV[3] lease in microseconds
-- ARGV[4] owner token (acks and renewals must present it)
-- ARGV[5] max attempts: an expired lease counts as an attempt; the one that reaches this is
--         dead-lettered instead of put back
-- Reply: {now, next due score or '', earliest lease deadline or '',
--        'requeued dead-lettered' (expired leases), m1, f1, s1, m2, f2, s2, ...}: each claimed
--        member followed by its failed deliveries so far ([5] attempts HASH, '0' when none), so
--        the consumer knows which attempt this delivery is, and its due time (score)
-- Expired leases go back first (leases_lib.lua, prepended when the script is loaded).
-- Atomic: read, removal and lease are one step: a due task is claimed by exactly one consumer
-- and is at every moment either waiting or leased. Every key's type is checked before the first
-- write, so no command can fail after it; writes of many members go in chunks (rx_chunked,
-- rx_chunked_pairs).
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nowS = string.format('%.6f', now)
local maxAttempts = tonumber(ARGV[5])
local recovered, dead = return_expired_leases(tonumber(ARGV[2]), maxAttempts, now, nowS)
local dueScored = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowS, 'WITHSCORES', 'LIMIT', 0,
  tonumber(ARGV[1]))
local due, scores = {}, {}
for i = 1, #dueScored, 2 do
  due[#due + 1] = dueScored[i]
  scores[#scores + 1] = dueScored[i + 1]
end
local n = #due
if n > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - 1)
  if redis.call('EXISTS', KEYS[2]) == 1 then
    rx_chunked('HDEL', KEYS[2], due)
  end
  local leaseS = string.format('%.6f', now + tonumber(ARGV[3]) / 1000000)
  local leased = {}
  local owned = {}
  for i = 1, n do
    leased[2 * i - 1] = leaseS
    leased[2 * i] = due[i]
    owned[2 * i - 1] = due[i]
    owned[2 * i] = ARGV[4]
  end
  rx_chunked_pairs('ZADD', KEYS[3], leased)
  rx_chunked_pairs('HSET', KEYS[4], owned)
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local nextLease = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local reply = {nowS, nextDue[2] or '', nextLease[2] or '',
  tostring(recovered) .. ' ' .. tostring(dead)}
local counted = redis.call('EXISTS', KEYS[5]) == 1
for i = 1, n do
  reply[3 * i + 2] = due[i]
  reply[3 * i + 3] = counted and (redis.call('HGET', KEYS[5], due[i]) or '0') or '0'
  reply[3 * i + 4] = scores[i]
end
return reply
