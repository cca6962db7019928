-- purge_dead.lua: delete given dead letters.
-- KEYS[1] dead-letter list
-- ARGV entry texts, exactly as stored
-- Reply: number of entries removed.
-- Atomic: the type is checked before the first LREM; one script; each entry is removed at most
--   once.
local bad = rx_wrong_type(KEYS[1], 'list')
if bad then return redis.error_reply(bad) end
local n = 0
for i = 1, #ARGV do
  n = n + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return n
