-- fail.lua: settle one failed delivery: schedule a retry or move it to the dead-letter list.
-- KEYS[1] this worker's in-flight hash, KEYS[2] delayed zset, KEYS[3] parked hash,
-- KEYS[4] attempts hash, KEYS[5] dead-letter list
-- ARGV[1] task id, ARGV[2] error text, ARGV[3] max attempts, ARGV[4] retry delay (ms),
-- ARGV[5] "1" = dead-letter now whatever the attempts (undecodable payload), ARGV[6] worker id
-- Reply: 0 = the task was no longer in-flight here (its lease had expired and another worker took
--   it back), 1 = retry scheduled, 2 = dead-lettered.
-- Atomic: removing it from in-flight and adding it to the delayed set or dead-letter list is one
--   step, so the task is never in both places or in none. Times come from the server clock.
local payload = redis.call('HGET', KEYS[1], ARGV[1])
if not payload then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local att = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '1')
if ARGV[5] == '1' or att >= tonumber(ARGV[3]) then
  redis.call('HDEL', KEYS[4], ARGV[1])
  redis.call('RPUSH', KEYS[5], '{"id":' .. cjson.encode(ARGV[1]) .. ',"attempts":' .. att
    .. ',"failedAt":' .. string.format('%d', math.floor(now / 1000)) .. string.format('%03d', now % 1000)
    .. ',"worker":' .. cjson.encode(ARGV[6]) .. ',"error":' .. cjson.encode(ARGV[2])
    .. ',"payload":' .. cjson.encode(payload) .. '}')
  return 2
end
redis.call('HSET', KEYS[4], ARGV[1], att)
redis.call('HSET', KEYS[3], ARGV[1], payload)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
return 1
