-- fail.lua: settle one failed delivery: schedule a retry or move it to the dead-letter list.
-- KEYS[1] this worker's in-flight hash, KEYS[2] delayed zset, KEYS[3] parked hash,
-- KEYS[4] attempts hash, KEYS[5] dead-letter list, KEYS[6] workers zset (read only)
-- ARGV[1] task id, ARGV[2] error text, ARGV[3] max attempts, ARGV[4] retry delay (ms),
-- ARGV[5] "1" = dead-letter now whatever the attempts (undecodable payload), ARGV[6] worker id,
-- ARGV[7] the common prefix of the in-flight hashes ("<queue>:inflight:"), to look for the task
--   at other workers
-- Reply: {code, detail}: 1 = retry scheduled, 2 = dead-lettered; when the task was no longer
--   in-flight here (nothing is changed then): 3 = it is in-flight at another worker (detail: that
--   worker's id; its lease had expired, it was recovered and fetched again), 4 = it waits in the
--   delayed set (recovered after this worker's lease expired, or this worker's earlier call
--   succeeded and only its reply was lost), 5 = it is among the last 1,000 dead letters (recovered
--   with no attempts left, or an earlier call's reply was lost), 0 = it is in no key (acknowledged,
--   purged, or its keys were deleted).
-- Atomic: the types of every key written are checked before the first write (a wrong-type key
--   fails the call with nothing changed: the task stays in-flight and the call is retried);
--   removing it from in-flight and adding it to the delayed set or dead-letter list is then one
--   step, so the task is never in both places or in none. Times come from the server clock.
local bad = rx_wrong_type(KEYS[1], 'hash', KEYS[2], 'zset', KEYS[3], 'hash', KEYS[4], 'hash',
  KEYS[5], 'list')
if bad then return redis.error_reply(bad) end
local id = ARGV[1]
local payload = redis.call('HGET', KEYS[1], id)
if not payload then
  if rx_wrong_type(KEYS[6], 'zset') == nil then
    local workers = redis.call('ZRANGE', KEYS[6], 0, -1)
    for i = 1, #workers do
      local w = workers[i]
      if w ~= ARGV[6] then
        local other = ARGV[7] .. w
        if rx_wrong_type(other, 'hash') == nil and redis.call('HEXISTS', other, id) == 1 then
          return {3, w}
        end
      end
    end
  end
  if redis.call('ZSCORE', KEYS[2], id) then
    return {4, ''}
  end
  -- ids are decimal; jedis-mock's cjson writes a numeric string as a number, Redis's as a string
  local quoted = '{"id":"' .. id .. '",'
  local bare = '{"id":' .. id .. ','
  local len = redis.call('LLEN', KEYS[5])
  local tail = redis.call('LRANGE', KEYS[5], math.max(0, len - 1000), -1)
  for i = 1, #tail do
    if string.find(tail[i], quoted, 1, true) == 1 or string.find(tail[i], bare, 1, true) == 1 then
      return {5, ''}
    end
  end
  return {0, ''}
end
local now = wk_now()
local att = tonumber(redis.call('HGET', KEYS[4], id) or '1')
redis.call('HDEL', KEYS[1], id)
if ARGV[5] == '1' or att >= tonumber(ARGV[3]) then
  redis.call('HDEL', KEYS[4], id)
  redis.call('RPUSH', KEYS[5], wk_dead_entry(id, att, now, ARGV[6], ARGV[2], payload))
  return {2, ''}
end
redis.call('HSET', KEYS[4], id, att)
redis.call('HSET', KEYS[3], id, payload)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), id)
return {1, ''}
