-- info.lua: counts, against the server's clock.
-- KEYS: the family (family_lib.lua); reads [1] tasks ZSET, [3] processing ZSET, [6] dead-letter
-- HASH.
-- ARGV: none
-- Reply: {waiting (ZCARD), overdue (score <= now), processing, dead letters}
-- Atomic: one consistent snapshot of all four counts. A key of the family that holds another type
-- is reported (as by every operation) rather than counted as empty.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local nowS = string.format('%.6f', tonumber(t[1]) + tonumber(t[2]) / 1000000)
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCOUNT', KEYS[1], '-inf', nowS),
  redis.call('ZCARD', KEYS[3]), redis.call('HLEN', KEYS[6])}
