-- retry.lua: a handler failed: the claimed task goes back to the tasks, due after a delay.
-- KEYS[1] tasks ZSET, KEYS[2] processing ZSET, KEYS[3] leases HASH
-- ARGV[1] owner token, ARGV[2] delay in microseconds, ARGV[3] the member,
-- ARGV[4] wake-up channel or ''
-- Reply: 1 when requeued, 0 when the lease was no longer ours (nothing changed).
-- Atomic: the owner check, the lease removal and the re-add are one step; when the same task
-- was added again meanwhile, the earlier due time is kept.
if redis.call('HGET', KEYS[3], ARGV[3]) ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local due = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[2]) / 1000000
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('HDEL', KEYS[3], ARGV[3])
local s = redis.call('ZSCORE', KEYS[1], ARGV[3])
if (not s) or tonumber(s) > due then
  redis.call('ZADD', KEYS[1], string.format('%.6f', due), ARGV[3])
  if ARGV[4] ~= '' then
    redis.call('PUBLISH', ARGV[4], string.format('%.6f', due))
  end
end
return 1
