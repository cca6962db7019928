-- info.lua: counts, against the server's clock.
-- KEYS[1] tasks ZSET, KEYS[2] processing ZSET, KEYS[3] dead-letter HASH
-- ARGV: none
-- Reply: {waiting (ZCARD), overdue (score <= now), processing, dead letters}
-- Atomic: one consistent snapshot of all four counts.
local t = redis.call('TIME')
local nowS = string.format('%.6f', tonumber(t[1]) + tonumber(t[2]) / 1000000)
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCOUNT', KEYS[1], '-inf', nowS),
  redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3])}
