-- cancel_all.lua: cancels every trigger of one identifier (all actions), found through its
-- index SET: no SCAN.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the identifier index SET
-- ARGV[1] '1' = also delete the TTL keys here (standalone server), '0' = the caller does
-- Reply: the trigger keys cancelled.
-- Atomic: every trigger of the identifier goes in one step; types are checked first.
local bad = family_wrong_type() or rx_wrong_type(KEYS[7], 'set')
if bad then return redis.error_reply(bad) end
local members = redis.call('SMEMBERS', KEYS[7])
for _, k in ipairs(members) do
  forget(k)
  if ARGV[1] == '1' then redis.call('DEL', k) end
end
redis.call('DEL', KEYS[7])
return members
