-- give_back.lua: returns claimed, unstarted batches (shutdown): due at once, attempt unchanged.
-- KEYS[1] leases (zset), KEYS[2] batches (hash)
-- ARGV pairs: batch start id, lease token
-- Reply: how many were given back. Atomic: both keys type-checked before the first write.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash')
if bad then return redis.error_reply(bad) end
local now = ev_now_ms()
local n = 0
for i = 1, #ARGV, 2 do
  local f = ARGV[i]
  if redis.call('HGET', KEYS[2], f .. ':tok') == ARGV[i + 1] then
    redis.call('HINCRBY', KEYS[2], f .. ':att', -1)
    redis.call('HSET', KEYS[2], f .. ':tok', '')
    redis.call('ZADD', KEYS[1], now, f)
    n = n + 1
  end
end
return n
