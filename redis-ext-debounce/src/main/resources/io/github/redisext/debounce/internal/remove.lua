-- remove.lua: removes waiting tasks (not ones a consumer is handling).
-- KEYS: the family (family_lib.lua); writes [1] tasks ZSET, [2] first-add HASH, [5] attempts HASH.
-- ARGV[1..] the members
-- Reply: the number removed.
-- Atomic: the task, its first-add time and its attempt count go together; the key types are
-- checked first, so nothing can fail after the first write; the calls go in chunks (rx_chunked).
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local n = rx_chunked('ZREM', KEYS[1], ARGV)
rx_chunked('HDEL', KEYS[2], ARGV)
if redis.call('EXISTS', KEYS[5]) == 1 then rx_chunked('HDEL', KEYS[5], ARGV) end
return n
