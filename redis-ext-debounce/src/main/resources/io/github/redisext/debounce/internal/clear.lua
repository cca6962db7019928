-- clear.lua: deletes the waiting tasks, their first-add times and the attempt counts.
-- KEYS: the family (family_lib.lua); deletes [1] tasks ZSET, [2] first-add HASH, [5] attempts
-- HASH.
-- ARGV: none
-- Reply: the number of waiting tasks deleted.
-- Atomic: the three keys go together; when a key of the family holds another type nothing is
-- deleted (that value is not ours to delete) and the key is reported.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local n = redis.call('ZCARD', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[5])
return n
