-- clear_dead.lua: deletes the dead letters.
-- KEYS: the family (family_lib.lua); deletes [6] dead-letter HASH and [7] dead-letter info HASH.
-- ARGV: none
-- Reply: the number of dead letters deleted.
-- Atomic: the count and the deletion are one step; when a key of the family holds another type
-- nothing is deleted and the key is reported.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local n = redis.call('HLEN', KEYS[6])
redis.call('DEL', KEYS[6], KEYS[7])
return n
