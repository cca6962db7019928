-- requeue_dead.lua: hands dead letters to their subscription again (before newer events when the
-- subscription is ordered). The copied payload stays in the dead data until the event is handled,
-- so an event whose hash expired meanwhile is still delivered.
-- KEYS[1] dead letters (zset), KEYS[2] dead data (hash), KEYS[3] leases (zset),
-- KEYS[4] batches (hash)
-- ARGV ids ('*' alone: all of them)
-- Reply: how many were requeued. Atomic: every key type-checked before the first write.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'zset', KEYS[4], 'hash')
if bad then return redis.error_reply(bad) end
local ids = ARGV
if #ARGV == 1 and ARGV[1] == '*' then
  ids = redis.call('ZRANGE', KEYS[1], 0, -1)
end
local now = ev_now_ms()
local n = 0
for _, id in ipairs(ids) do
  if redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZREM', KEYS[1], id)
    if redis.call('HEXISTS', KEYS[4], id .. ':to') == 0 then
      redis.call('HSET', KEYS[4], id .. ':to', id, id .. ':att', 0, id .. ':tok', '',
        id .. ':redo', '1')
      redis.call('ZADD', KEYS[3], now, id)
    end
    n = n + 1
  end
end
return n
