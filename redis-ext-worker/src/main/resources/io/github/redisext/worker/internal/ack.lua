-- ack.lua: acknowledge tasks whose handler returned.
-- KEYS[1] this worker's in-flight hash, KEYS[2] attempts hash
-- ARGV task ids
-- Reply: number of tasks removed from in-flight (fewer if some were recovered by another worker
--   after this worker lost its lease).
-- Atomic: both key types are checked before the first write (a wrong-type key fails the call with
--   nothing changed); the task and its attempt count disappear together. HDEL runs in chunks
--   (rx_chunked), so any number of ids works.
local bad = rx_wrong_type(KEYS[1], 'hash', KEYS[2], 'hash')
if bad then return redis.error_reply(bad) end
if #ARGV == 0 then return 0 end
local n = rx_chunked('HDEL', KEYS[1], ARGV)
rx_chunked('HDEL', KEYS[2], ARGV)
return n
