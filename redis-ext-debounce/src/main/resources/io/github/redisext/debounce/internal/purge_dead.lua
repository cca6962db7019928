-- purge_dead.lua: deletes the given dead letters.
-- KEYS: the family (family_lib.lua); writes [6] dead-letter HASH and [7] dead-letter info HASH.
-- ARGV[1..] the raw members to delete
-- Reply: the number of dead letters deleted (members that were not dead letters are skipped).
-- Atomic: each member's error and info go together; the key types are checked first, so nothing
-- can fail after the first write; one command per member.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local n = 0
for i = 1, #ARGV do
  if redis.call('HDEL', KEYS[6], ARGV[i]) == 1 then
    redis.call('HDEL', KEYS[7], ARGV[i])
    n = n + 1
  end
end
return n
