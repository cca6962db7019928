-- dead_letters.lua: reads every dead letter.
-- KEYS: the family (family_lib.lua); reads [6] dead-letter HASH and [7] dead-letter info HASH.
-- ARGV: none
-- Reply: {HGETALL dead-letter HASH (member, error, ...), HGETALL info HASH (member, info, ...)}
-- Atomic: one snapshot of both hashes; a key of the family that holds another type is reported.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
return {redis.call('HGETALL', KEYS[6]), redis.call('HGETALL', KEYS[7])}
