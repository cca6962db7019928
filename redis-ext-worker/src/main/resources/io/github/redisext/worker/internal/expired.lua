-- expired.lua: list workers whose lease ran out (their process died or stalled).
-- KEYS[1] workers zset (worker id scored by lease deadline, ms, server clock)
-- ARGV[1] maximum number of ids to return
-- Reply: array of worker ids. Read-only; each id is then recovered with recover.lua, which checks
--   the lease again atomically (a worker may have renewed it meanwhile).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, tonumber(ARGV[1]))
