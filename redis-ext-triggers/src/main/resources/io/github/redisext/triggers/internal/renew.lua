-- renew.lua: extends the leases of triggers a consumer still holds.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family; ARGV[1] lease in ms, then pairs: owner token, trigger key
-- Reply: the 1-based pair numbers whose lease was no longer ours (nothing changed for them).
-- Atomic: each owner check and extension are one step; types are checked first.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local deadline = now_ms() + tonumber(ARGV[1])
local lost = {}
local p = 0
for i = 2, #ARGV, 2 do
  p = p + 1
  if owned(ARGV[i + 1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i + 1])
  else
    lost[#lost + 1] = p
  end
end
return lost
