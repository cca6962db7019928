-- renew.lua: extends the leases of tasks a consumer still holds.
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, reads [4] leases HASH.
-- ARGV[1] lease in microseconds, then pairs ARGV[2k] owner token, ARGV[2k+1] member
-- Reply: the 1-based pair numbers k whose lease was no longer ours (left alone: past its deadline
-- (lease_held), or put back and maybe handed to another consumer); every other lease was
-- extended.
-- Atomic: each owner check and extension happen together, against the server's TIME; the key
-- types are checked first, so nothing can fail after the first write.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local deadline = string.format('%.6f', now + tonumber(ARGV[1]) / 1000000)
local lost = {}
local k = 0
for i = 2, #ARGV, 2 do
  k = k + 1
  if lease_held(ARGV[i + 1], ARGV[i], now) then
    redis.call('ZADD', KEYS[3], deadline, ARGV[i + 1])
  else
    lost[#lost + 1] = k
  end
end
return lost
