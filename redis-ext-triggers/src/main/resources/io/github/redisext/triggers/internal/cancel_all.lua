-- cancel_all.lua: cancels every trigger of one identifier (all actions), found through the
-- shard's actions SET: each action's trigger key for the identifier is looked up in the due
-- ZSET, no SCAN.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the shard's actions SET
-- ARGV[1] '1' = also delete the TTL keys here (standalone server), '0' = the caller does;
-- ARGV[2] the escaped identifier; ARGV[3] the tenant's key prefix '<tenant>:EXPTRIGGER:'
-- Reply: the trigger keys cancelled (the armed ones: waiting or running).
-- Atomic: every trigger of the identifier goes in one step; types are checked first. Cost: one
-- ZSCORE per action ever armed in the shard (actions are a small fixed set: the handlers').
local bad = family_wrong_type() or actions_wrong_type()
if bad then return redis.error_reply(bad) end
local gone = {}
for _, action in ipairs(redis.call('SMEMBERS', KEYS[7])) do
  local k = ARGV[3] .. action .. ':' .. ARGV[2]
  if redis.call('ZSCORE', KEYS[1], k) then
    forget(k)
    if ARGV[1] == '1' then redis.call('DEL', k) end
    gone[#gone + 1] = k
  end
end
return gone
