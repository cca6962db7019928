-- renew.lua: extends the leases of tasks a consumer is still handling.
-- KEYS[1] processing ZSET, KEYS[2] leases HASH
-- ARGV[1] lease in microseconds, then pairs ARGV[2k] owner token, ARGV[2k+1] member
-- Reply: the number of leases extended (a lease that is no longer ours is left alone).
-- Atomic: each owner check and extension happen together, against the server's TIME.
local t = redis.call('TIME')
local deadline = string.format('%.6f',
  tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1]) / 1000000)
local n = 0
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[2], ARGV[i + 1]) == ARGV[i] then
    redis.call('ZADD', KEYS[1], deadline, ARGV[i + 1])
    n = n + 1
  end
end
return n
