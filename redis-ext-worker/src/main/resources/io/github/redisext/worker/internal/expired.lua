-- expired.lua: list workers whose lease ran out (their process died or stalled).
-- KEYS[1] workers zset (worker id scored by lease deadline, ms, server clock)
-- ARGV[1] maximum number of ids to return
-- Reply: array of worker ids. Read-only; each id is then recovered with recover.lua, which checks
--   the lease again atomically (a worker may have renewed it meanwhile). A wrong-type key is a
--   typed error naming it.
local bad = rx_wrong_type(KEYS[1], 'zset')
if bad then return redis.error_reply(bad) end
local now = wk_now()
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, tonumber(ARGV[1]))
