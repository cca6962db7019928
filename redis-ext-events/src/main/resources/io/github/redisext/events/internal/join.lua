-- join.lua: creates a durable subscription if it does not exist yet, and refreshes its presence.
-- KEYS[1] subscription state (hash), KEYS[2] subscription registry (zset: name -> alive-until ms),
-- KEYS[3] eventy's subscriber hash, KEYS[4] counter (string), KEYS[5] index (zset),
-- KEYS[6] epoch (string)
-- ARGV[1] name, ARGV[2] mode, ARGV[3] start ('oldest' or 'next'), ARGV[4] presence ms,
-- ARGV[5] handler type, ARGV[6] consumer id, ARGV[7] event ttl seconds
-- Reply: {1 if created now else 0, cursor}
-- Atomic: every key written is type-checked and the mode compared before the first write.
-- 'next' starts after the newest id (the counter); 'oldest' before the oldest event retained in
-- the index.
local bad = rx_wrong_type(KEYS[1], 'hash', KEYS[2], 'zset', KEYS[3], 'hash', KEYS[4], 'string',
  KEYS[5], 'zset', KEYS[6], 'string')
if bad then return redis.error_reply(bad) end
local st = redis.call('HMGET', KEYS[1], 'mode', 'cursor')
st[1], st[2] = ev_val(st[1]), ev_val(st[2])
if st[1] and st[1] ~= ARGV[2] then
  return redis.error_reply('ERR redis-ext events: subscription ' .. ARGV[1] .. ' exists in mode '
    .. st[1] .. ', not ' .. ARGV[2])
end
local sec, usec = ev_time()
local now = sec * 1000 + math.floor(usec / 1000)
local created = 0
local cursor = tonumber(st[2]) or 0
local iso = ev_iso(sec, usec)
if not st[1] then
  local ttl = tonumber(ARGV[7])
  local counter = tonumber(ev_val(redis.call('GET', KEYS[4])) or '0') or 0
  cursor = counter
  if ARGV[3] == 'oldest' then
    ev_trim(KEYS[5], sec, usec, ttl)
    local first = redis.call('ZRANGE', KEYS[5], 0, 9)
    for _, m in ipairs(first) do
      local f = tonumber(m)
      if f and f - 1 < cursor then
        cursor = f - 1
      end
    end
  end
  redis.call('HSET', KEYS[1], 'mode', ARGV[2], 'cursor', cursor, 'position', cursor, 'missed', 0,
    'resets', 0, 'start', ARGV[3], 'created_at', iso, 'epoch', ev_val(redis.call('GET', KEYS[6])) or '')
  redis.call('HSET', KEYS[3], 'id', ARGV[1], 'created_at', iso)
  created = 1
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', KEYS[3], 'id', ARGV[1], 'type', ARGV[5], 'consumer', ARGV[6])
if redis.call('HEXISTS', KEYS[3], 'created_at') == 0 then
  redis.call('HSET', KEYS[3], 'created_at', iso)
end
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[7]))
return {created, cursor}
