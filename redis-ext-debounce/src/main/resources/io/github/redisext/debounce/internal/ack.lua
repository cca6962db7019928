-- ack.lua: a consumer finished a claimed task: drop its lease and its attempt count.
-- KEYS[1] processing ZSET, KEYS[2] leases HASH, KEYS[3] attempts HASH (member -> failed deliveries)
-- ARGV[1] owner token, ARGV[2] the member
-- Reply: 1 when the lease was still ours and is gone, 0 when it had expired (and the task may
-- have been handed to someone else, whose lease and attempt count are left alone).
-- Atomic: the owner check and the removal are one step.
if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then
  redis.call('ZREM', KEYS[1], ARGV[2])
  redis.call('HDEL', KEYS[2], ARGV[2])
  redis.call('HDEL', KEYS[3], ARGV[2])
  return 1
end
return 0
