-- release.lua: give back tasks this worker fetched but will not handle, and optionally unregister.
-- KEYS[1] this worker's in-flight hash, KEYS[2] its claim list, KEYS[3] queue list,
-- KEYS[4] delayed zset, KEYS[5] parked hash, KEYS[6] attempts hash, KEYS[7] workers zset
-- ARGV[1] worker id, ARGV[2] "1" = unregister when nothing is left in-flight, ARGV[3..] task ids
--   in the order they were fetched (any number)
-- Reply: {released, stillInFlight}.
-- A released task's unstarted delivery is not counted: first deliveries go back to the queue head
-- as the raw payload, in order (where a producer put them); retries go back to the delayed set,
-- due now, with their previous attempt count. Ids no longer in-flight here are skipped.
-- Atomic: the types of all seven keys are checked before the first write (a wrong-type key fails
--   the call with nothing changed: the tasks stay in-flight under this worker's lease); each task
--   then leaves the in-flight hash and reappears in the queue in the same step. The queue push
--   goes in chunks (rx_chunked): Lua cannot unpack more than about 8,000 values, and a worker may
--   hold concurrency + prefetch (over 10,000) tasks.
local bad = rx_wrong_type(KEYS[1], 'hash', KEYS[2], 'list', KEYS[3], 'list', KEYS[4], 'zset',
  KEYS[5], 'hash', KEYS[6], 'hash', KEYS[7], 'zset')
if bad then return redis.error_reply(bad) end
local now = wk_now()
local head = {}
local released = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local payload = redis.call('HGET', KEYS[1], id)
  if payload then
    redis.call('HDEL', KEYS[1], id)
    local att = tonumber(redis.call('HGET', KEYS[6], id) or '1')
    if att <= 1 then
      redis.call('HDEL', KEYS[6], id)
      head[#head + 1] = payload
    else
      redis.call('HSET', KEYS[6], id, att - 1)
      redis.call('HSET', KEYS[5], id, payload)
      redis.call('ZADD', KEYS[4], now, id)
    end
    released = released + 1
  end
end
local claimed = redis.call('LRANGE', KEYS[2], 0, -1)
for i = 1, #claimed do head[#head + 1] = claimed[i] end
if #claimed > 0 then redis.call('DEL', KEYS[2]) end
released = released + #claimed
if #head > 0 then
  local rev = {}
  for i = #head, 1, -1 do rev[#rev + 1] = head[i] end
  rx_chunked('LPUSH', KEYS[3], rev)
end
local left = redis.call('HLEN', KEYS[1])
if ARGV[2] == '1' and left == 0 then
  redis.call('ZREM', KEYS[7], ARGV[1])
end
return {released, left}
