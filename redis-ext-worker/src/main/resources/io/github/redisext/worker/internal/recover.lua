-- recover.lua: give the tasks of a worker whose lease ran out back to the queue.
-- KEYS[1] workers zset, KEYS[2] that worker's in-flight hash, KEYS[3] that worker's claim list,
-- KEYS[4] queue list, KEYS[5] delayed zset, KEYS[6] parked hash, KEYS[7] attempts hash,
-- KEYS[8] dead-letter list
-- ARGV[1] the dead worker's id, ARGV[2] max attempts, ARGV[3] the recovering worker's id
-- Reply: {status, requeued, deadLettered}; status 1 = recovered, 0 = its lease is valid again
--   (nothing done).
-- In-flight tasks go to the delayed set due now, keeping their attempt count (a delivery that
-- killed its process counts as an attempt, so a task that crashes every worker ends in the
-- dead-letter list, its raw bytes kept). Claimed tasks were never delivered: they go back to the
-- queue head in order.
-- Atomic: the types of all eight keys are checked before the first write (a wrong-type key fails
--   the call with nothing changed); the lease check and the whole move are one step, so two
--   workers recovering the same dead worker cannot both requeue its tasks, and a worker renewing
--   its lease is never robbed. Any number of claimed tasks is pushed in chunks (rx_chunked).
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'list', KEYS[4], 'list',
  KEYS[5], 'zset', KEYS[6], 'hash', KEYS[7], 'hash', KEYS[8], 'list')
if bad then return redis.error_reply(bad) end
local now = wk_now()
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) > now then return {0, 0, 0} end
local requeued, dead = 0, 0
local claimed = redis.call('LRANGE', KEYS[3], 0, -1)
if #claimed > 0 then
  local rev = {}
  for i = #claimed, 1, -1 do rev[#rev + 1] = claimed[i] end
  rx_chunked('LPUSH', KEYS[4], rev)
  requeued = requeued + #claimed
end
local h = redis.call('HGETALL', KEYS[2])
local max = tonumber(ARGV[2])
for i = 1, #h, 2 do
  local id, payload = h[i], h[i + 1]
  local att = tonumber(redis.call('HGET', KEYS[7], id) or '1')
  if att >= max then
    redis.call('HDEL', KEYS[7], id)
    redis.call('RPUSH', KEYS[8], wk_dead_entry(id, att, now, ARGV[1],
      'lease of worker ' .. ARGV[1] .. ' expired during attempt ' .. att
        .. ' (its process died or stalled); recovered by ' .. ARGV[3], payload))
    dead = dead + 1
  else
    redis.call('HSET', KEYS[7], id, att)
    redis.call('HSET', KEYS[6], id, payload)
    redis.call('ZADD', KEYS[5], now, id)
    requeued = requeued + 1
  end
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[1])
return {1, requeued, dead}
