-- remove.lua: deletes a durable subscription: its state, batches, dead letters and presence.
-- KEYS[1] state, KEYS[2] leases, KEYS[3] batches, KEYS[4] dead letters, KEYS[5] dead data,
-- KEYS[6] subscription registry (zset), KEYS[7] eventy's subscriber hash
-- ARGV[1] name, ARGV[2] 'dead' = only if its presence ran out (else 'any')
-- Reply: 1 if the subscription existed and was removed, else 0.
-- Atomic: the registry is type-checked before the first write (DEL takes any type).
local bad = rx_wrong_type(KEYS[6], 'zset')
if bad then return redis.error_reply(bad) end
if ARGV[2] == 'dead' then
  local alive = redis.call('ZSCORE', KEYS[6], ARGV[1])
  if alive and tonumber(alive) > ev_now_ms() then
    return 0
  end
end
local existed = redis.call('EXISTS', KEYS[1])
local listed = redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7])
if existed == 1 or listed == 1 then
  return 1
end
return 0
