-- find.lua: the ids already mapped to some names of one namespace; creates nothing.
--
-- KEYS[1..n]  the mapping keys <klass>:id:<name> (STRING holding the decimal id); any number,
--             the Java side sends at most 1000 per call
-- ARGV[1]     time to live of a mapping, in milliseconds
-- ARGV[2]     "1": reset the time to live of every mapping found (refresh on read); "0": leave it
--
-- Reply, one of
--   {1, v_1, ..., v_n}  per key, in KEYS order: the decimal text of its id, or '' when the key
--                       has no mapping (an empty string is never a valid id)
--   {0, i, raw}         KEYS[i] holds no decimal integer (raw is its text); nothing was changed
--   error 'WRONGTYPE redis-ext: string expected, <type> found at key <key>' (core_lib.lua's
--                       rx_wrong_type) when a mapping is a key of another type; nothing changed
--
-- Atomic: the values are read and checked, and only then refreshed, in one script that no other
-- command interleaves with, so a refresh never extends a mapping that another client just
-- removed or replaced.
-- The read and check are read_mappings (mappings_lib.lua, prepended when loaded).

local n = #KEYS
local values, absent = read_mappings(1, n)
if not values then
  if type(absent) == 'string' then
    return redis.error_reply(absent)
  end
  return absent
end
local reply = {1}
for i = 1, n do
  reply[i + 1] = values[i] or ''
end
if ARGV[2] == '1' then
  for i = 1, n do
    if values[i] then
      redis.call('PEXPIRE', KEYS[i], ARGV[1])
    end
  end
end
return reply
