-- heartbeat.lua: renew this worker's lease.
-- KEYS[1] workers zset (worker id scored by lease deadline, ms, server clock)
-- ARGV[1] worker id, ARGV[2] lease (ms)
-- Reply: 1 if the worker was not registered (its lease had run out and another worker recovered its
--   tasks, or Redis lost its data), 0 if it was renewed.
-- Atomic: the key type is checked, then a single ZADD; the deadline is computed from the server
--   clock.
local bad = rx_wrong_type(KEYS[1], 'zset')
if bad then return redis.error_reply(bad) end
return redis.call('ZADD', KEYS[1], wk_now() + tonumber(ARGV[2]), ARGV[1])
