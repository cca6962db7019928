-- ack.lua: handlers of triggers of one shard returned: the triggers are done.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, then per trigger its fired marker
-- (a STRING that lets expired events of the trigger's own TTL key, which may come much later,
-- be told from a new trigger written by another writer)
-- ARGV[1] how long the fired marker lives in ms, then pairs: owner token, trigger key
-- Reply: how many were no longer ours (lease lost, re-armed or cancelled meanwhile: nothing
-- changed for them).
-- Atomic: owner check, removal and marker in one step; types are checked first.
local bad = family_wrong_type() or extras_wrong_type(7, 'string')
if bad then return redis.error_reply(bad) end
local now = now_ms()
local stale = 0
local p = 0
for i = 2, #ARGV, 2 do
  local k = ARGV[i + 1]
  local marker = KEYS[7 + p]
  p = p + 1
  if owned(k, ARGV[i]) then
    local dueAt = redis.call('HGET', KEYS[2], k) or tostring(now)
    forget(k)
    redis.call('SET', marker, dueAt, 'PX', ARGV[1])
  else
    stale = stale + 1
  end
end
return stale
