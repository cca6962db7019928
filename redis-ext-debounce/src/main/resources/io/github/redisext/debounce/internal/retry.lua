-- retry.lua: a handler failed: counts the attempt; the claimed task goes back to the tasks, due
-- after an exponentially growing delay, or, once it has failed max-attempts times, to the dead
-- letters with the error, the attempt count and the server time.
-- KEYS: the family (family_lib.lua); writes [1] tasks ZSET, [3] processing ZSET, [4] leases HASH,
-- [5] attempts HASH (member -> failed deliveries), [6] dead-letter HASH (member -> error),
-- [7] dead-letter info HASH (member -> 'attempts epochSeconds').
-- ARGV[1] owner token, ARGV[2] retry delay in microseconds (of the first retry),
-- ARGV[3] the member, ARGV[4] wake-up channel or '', ARGV[5] max attempts (>= 1),
-- ARGV[6] maximum retry delay in microseconds, ARGV[7] the error text
-- Reply: {0} when the lease was no longer ours (nothing changed);
--        {1, attempts, delay in microseconds} when requeued;
--        {2, attempts} when dead-lettered.
-- Atomic: the owner check, the count, the lease removal and the re-add (or dead letter) are one
-- step. When the same task was added again meanwhile, the earlier due time is kept; a
-- dead-lettered task leaves such a re-added copy waiting (a new event, counted from zero). The key
-- types are checked first, so nothing can fail after the first write.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
if redis.call('HGET', KEYS[4], ARGV[3]) ~= ARGV[1] then
  return {0}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local m = ARGV[3]
redis.call('ZREM', KEYS[3], m)
redis.call('HDEL', KEYS[4], m)
-- not HINCRBY: it fails on a count that is not an integer, after the writes above
local n = (tonumber(redis.call('HGET', KEYS[5], m)) or 0) + 1
redis.call('HSET', KEYS[5], m, tostring(n))
if n >= tonumber(ARGV[5]) then
  redis.call('HDEL', KEYS[5], m)
  redis.call('HSET', KEYS[6], m, ARGV[7])
  redis.call('HSET', KEYS[7], m, tostring(n) .. ' ' .. string.format('%.6f', now))
  return {2, n}
end
local base = tonumber(ARGV[2])
local cap = tonumber(ARGV[6])
if cap < base then cap = base end
local delay = base * (2 ^ (n - 1))
if delay > cap then delay = cap end
local due = now + delay / 1000000
local s = redis.call('ZSCORE', KEYS[1], m)
if (not s) or tonumber(s) > due then
  redis.call('ZADD', KEYS[1], string.format('%.6f', due), m)
  if ARGV[4] ~= '' then
    redis.call('PUBLISH', ARGV[4], string.format('%.6f', due))
  end
end
return {1, n, math.floor(delay)}
