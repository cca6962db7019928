-- fail.lua: settle one failed delivery: schedule a retry or move it to the dead-letter list.
-- KEYS[1] this worker's in-flight hash, KEYS[2] delayed zset, KEYS[3] parked hash,
-- KEYS[4] attempts hash, KEYS[5] dead-letter list
-- ARGV[1] task id, ARGV[2] error text, ARGV[3] max attempts, ARGV[4] retry delay (ms),
-- ARGV[5] "1" = dead-letter now whatever the attempts (undecodable payload), ARGV[6] worker id
-- Reply: {code}: 1 = retry scheduled, 2 = dead-lettered, 0 = the task is no longer in-flight here
--   (nothing is changed then; the caller runs locate.lua to say where it went).
-- Every key it touches is in KEYS. (Finding the task at another worker needs those workers'
--   in-flight hashes, known only from the workers zset: that read-only search is locate.lua's,
--   which the caller runs with every such hash declared in its KEYS.)
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
  return {0}
end
local now = wk_now()
local att = tonumber(redis.call('HGET', KEYS[4], id) or '1')
redis.call('HDEL', KEYS[1], id)
if ARGV[5] == '1' or att >= tonumber(ARGV[3]) then
  redis.call('HDEL', KEYS[4], id)
  redis.call('RPUSH', KEYS[5], wk_dead_entry(id, att, now, ARGV[6], ARGV[2], payload))
  return {2}
end
redis.call('HSET', KEYS[4], id, att)
redis.call('HSET', KEYS[3], id, payload)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), id)
return {1}
