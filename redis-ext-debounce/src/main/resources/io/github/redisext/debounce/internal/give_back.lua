-- give_back.lua: a closing consumer returns claimed tasks it never started: each goes back to the
-- tasks due now (an earlier due time of a re-added copy is kept), its attempt count unchanged
-- (the delivery never happened).
-- KEYS: the family (family_lib.lua); writes [1] tasks ZSET, [3] processing ZSET, [4] leases HASH.
-- ARGV[1] wake-up channel or '', then pairs ARGV[2k] owner token, ARGV[2k+1] the member
-- Reply: the number given back (a lease that was no longer ours, lease_held, is left alone).
-- Atomic: each owner check, lease removal and re-add is one step; the key types are checked
-- first, so nothing can fail after the first write; one command per member. One wake-up is
-- published when anything came back and the channel is given.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nowS = string.format('%.6f', now)
local n = 0
for i = 2, #ARGV, 2 do
  local m = ARGV[i + 1]
  if lease_held(m, ARGV[i], now) then
    drop_lease(m)
    due_by(m, now, nowS)
    n = n + 1
  end
end
if n > 0 and ARGV[1] ~= '' then
  redis.call('PUBLISH', ARGV[1], nowS)
end
return n
