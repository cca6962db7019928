-- ack.lua: acknowledge tasks whose handler returned.
-- KEYS[1] this worker's in-flight hash, KEYS[2] attempts hash
-- ARGV task ids
-- Reply: number of tasks removed from in-flight (fewer if some were recovered by another worker
--   after this worker lost its lease).
-- Atomic: the task and its attempt count disappear together.
local n = redis.call('HDEL', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[2], unpack(ARGV))
return n
