-- purge_all_dead.lua: delete the whole dead-letter list.
-- KEYS[1] dead-letter list
-- Reply: number of entries deleted.
-- Atomic: the type is checked first (DEL would delete a key of any type: a wrong-type key fails the
--   call and stays), then the count and the delete are one step, so the count is exactly what was
--   deleted.
local bad = rx_wrong_type(KEYS[1], 'list')
if bad then return redis.error_reply(bad) end
local n = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return n
