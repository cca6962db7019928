-- fetch.lua: move up to N tasks into this worker's in-flight hash and renew its lease.
-- KEYS[1] queue list (producers RPUSH raw JSON, we take the head)
-- KEYS[2] this worker's claim list (where its blocking wait moved one task)
-- KEYS[3] this worker's in-flight hash: id -> payload
-- KEYS[4] delayed zset: id scored by due time (ms, server clock)
-- KEYS[5] parked hash: id -> payload of the tasks in the delayed zset
-- KEYS[6] attempts hash: id -> deliveries made so far (absent = first delivery)
-- KEYS[7] workers zset: worker id scored by lease deadline (ms, server clock)
-- KEYS[8] id sequence (string counter)
-- ARGV[1] worker id, ARGV[2] max tasks N (1..1000), ARGV[3] lease (ms)
-- Reply: {nextDueMs, id1, attempt1, payload1, id2, ...}, payloads as raw bytes. nextDueMs is -1
--   unless no task was taken and a delayed task exists: then the ms until it is due (0 = now).
-- Atomic: the types of all eight keys are checked before the first write, so a wrong-type key (a
--   queue that is briefly a hash, say) fails the call with nothing changed: a due retry stays in
--   the delayed set, uncounted. Taking a task off the queue (or the delayed set) and recording it
--   in-flight under this worker's lease then happen in one script, so a crash at any moment
--   leaves every task either waiting or in-flight under a lease that will expire; nothing is ever
--   only in a client's memory. Multi-argument calls go through rx_chunked (no unbounded unpack).
-- (No string.sub anywhere in these scripts: jedis-mock's Lua passes substrings to redis.call
--  with the bytes of the whole original string.)
local bad = rx_wrong_type(KEYS[1], 'list', KEYS[2], 'list', KEYS[3], 'hash', KEYS[4], 'zset',
  KEYS[5], 'hash', KEYS[6], 'hash', KEYS[7], 'zset', KEYS[8], 'string')
if bad then return redis.error_reply(bad) end
local now = wk_now()
redis.call('ZADD', KEYS[7], now + tonumber(ARGV[3]), ARGV[1])
local n = math.min(tonumber(ARGV[2]), 1000)
local out = {-1}
local hset = {}
local fresh = {}

-- 1. what this worker's blocking wait claimed (it came from the queue head)
local claimed = redis.call('LRANGE', KEYS[2], 0, n - 1)
if #claimed > 0 then
  redis.call('LTRIM', KEYS[2], #claimed, -1)
  for i = 1, #claimed do fresh[#fresh + 1] = claimed[i] end
end
local left = n - #fresh

-- 2. retries and recovered tasks that are due
if left > 0 then
  local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, left)
  if #due > 0 then
    rx_chunked('ZREM', KEYS[4], due)
    local payloads = redis.call('HMGET', KEYS[5], unpack(due)) -- #due <= 1000
    rx_chunked('HDEL', KEYS[5], due)
    for i = 1, #due do
      local id = due[i]
      local payload = payloads[i]
      if payload then
        local att = redis.call('HINCRBY', KEYS[6], id, 1)
        hset[#hset + 1] = id
        hset[#hset + 1] = payload
        out[#out + 1] = id
        out[#out + 1] = att
        out[#out + 1] = payload
      end
    end
    left = left - #due
  end
end

-- 3. the queue head
if left > 0 then
  local popped = redis.call('LPOP', KEYS[1], left)
  if popped then
    for i = 1, #popped do fresh[#fresh + 1] = popped[i] end
  end
end

if #fresh > 0 then
  local base = redis.call('INCRBY', KEYS[8], #fresh) - #fresh
  for i = 1, #fresh do
    local id = tostring(base + i)
    hset[#hset + 1] = id
    hset[#hset + 1] = fresh[i]
    out[#out + 1] = id
    out[#out + 1] = 1
    out[#out + 1] = fresh[i]
  end
end

if #hset > 0 then
  rx_chunked_pairs('HSET', KEYS[3], hset)
else
  local nx = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
  if #nx > 0 then
    out[1] = math.max(0, tonumber(nx[2]) - now)
  end
end
return out
