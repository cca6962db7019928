-- renew.lua: extends the leases of batches a consumer still holds.
-- KEYS[1] leases (zset), KEYS[2] batches (hash)
-- ARGV[1] lease ms, then pairs: batch start id, lease token
-- Reply: the start ids whose lease was lost (their token changed: another consumer took them).
-- Atomic: both keys type-checked before the first write.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash')
if bad then return redis.error_reply(bad) end
local due = ev_now_ms() + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 2 do
  local f = ARGV[i]
  if redis.call('HGET', KEYS[2], f .. ':tok') == ARGV[i + 1] then
    redis.call('ZADD', KEYS[1], due, f)
  else
    lost[#lost + 1] = f
  end
end
return lost
