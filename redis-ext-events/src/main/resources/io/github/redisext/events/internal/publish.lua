-- publish.lua: publishes N events atomically (eventy layout, WIRE-FORMAT.md section 11).
-- KEYS[1] counter (string), KEYS[2] index (zset), KEYS[3] epoch (string)
-- ARGV[1] event key prefix ('<prefix>:events:<type>:'), ARGV[2] ttl seconds, ARGV[3] worker id,
-- ARGV[4] channel, ARGV[5] status, ARGV[6] N, ARGV[7..6+N] payloads
-- Reply: {first id, created_at, sec, usec}
-- Atomic: every key it writes (counter, index, epoch, the N new event hashes) is type-checked and
-- the counter checked to be an integer before the first write; nothing after it can fail.
local prefix, ttl, worker, channel, status = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local n = tonumber(ARGV[6])
local bad = rx_wrong_type(KEYS[1], 'string', KEYS[2], 'zset', KEYS[3], 'string')
if bad then return redis.error_reply(bad) end
local raw = ev_val(redis.call('GET', KEYS[1]))
local current = 0
if raw then
  current = tonumber(raw)
  if not current or current ~= math.floor(current) then
    return redis.error_reply('ERR redis-ext events: counter ' .. KEYS[1] .. ' is not an integer')
  end
end
-- the new ids and keys (each id turned into text once; a number passed to redis.call would be
-- formatted again at every call); the keys should not exist: one EXISTS per 1,000, a type check
-- only if one does
local ids, fresh = {}, {}
for i = 1, n do
  local id = tostring(current + i)
  ids[i] = id
  fresh[i] = prefix .. id
end
local taken = 0
for i = 1, n, 1000 do
  taken = taken + redis.call('EXISTS', unpack(fresh, i, math.min(n, i + 999)))
end
if taken > 0 then
  bad = rx_wrong_types(fresh, 'hash')
  if bad then return redis.error_reply(bad) end
end
local sec, usec = ev_time()
local created = ev_iso(sec, usec)
local score = ev_score(sec, usec)
local first = redis.call('INCRBY', KEYS[1], n) - n + 1
if not raw then
  redis.call('SET', KEYS[3], score)
end
local call = redis.call
local ttl_text = ARGV[2]
local zpairs = {}
for i = 1, n do
  local key = fresh[i]
  call('HSET', key, 'id', ids[i], 'payload', ARGV[6 + i], 'status', status, 'created_at',
    created, 'worker_id', worker)
  call('EXPIRE', key, ttl_text)
  zpairs[2 * i - 1] = score
  zpairs[2 * i] = ids[i]
end
rx_chunked_pairs("ZADD", KEYS[2], zpairs)
ev_trim(KEYS[2], sec, usec, ttl)
redis.call('EXPIRE', KEYS[2], ttl)
-- eventy's channel message, one per event: {"event_id": 1, "status": "...", "worker_id": "..."}
local head = '{"event_id": '
local tail = ', "status": "' .. status .. '", "worker_id": "' .. worker .. '"}'
for i = 1, n do
  call('PUBLISH', channel, head .. ids[i] .. tail)
end
return {first, created, tostring(sec), tostring(usec)}
