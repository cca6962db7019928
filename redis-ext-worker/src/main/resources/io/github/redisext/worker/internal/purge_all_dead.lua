-- purge_all_dead.lua: delete the whole dead-letter list.
-- KEYS[1] dead-letter list
-- Reply: number of entries deleted.
-- Atomic: the count and the delete are one step, so the count is exactly what was deleted.
local n = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return n
