-- forget_deleted.lua: an adopted trigger (written by another writer) whose TTL key that writer
-- deleted (Python's RedisTrigger.delete, seen as a 'del' keyspace event) is cancelled too.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family
-- ARGV the trigger keys (the caller saw each key gone)
-- Reply: how many were cancelled. Triggers armed by ExpiryTriggers.set (not adopted) and
-- triggers being fired now (leased) are left alone.
-- Atomic: check and removal in one step; types are checked first.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local n = 0
for i = 1, #ARGV do
  local k = ARGV[i]
  if redis.call('HEXISTS', KEYS[5], k) == 1 and redis.call('HEXISTS', KEYS[3], k) == 0 then
    forget(k)
    n = n + 1
  end
end
return n
