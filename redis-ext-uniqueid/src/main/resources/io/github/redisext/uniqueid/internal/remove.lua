-- remove.lua: delete the mappings of some names of one namespace.
--
-- KEYS[1..n]  the mapping keys <klass>:id:<name>, distinct (STRING holding the decimal id); any
--             number, the Java side sends at most 1000 per call
-- ARGV        none
--
-- Reply: how many mappings existed (and were deleted), or the error
--   'WRONGTYPE redis-ext: string expected, <type> found at key <key>' (core_lib.lua's
--   rx_wrong_type) when one of them is a key of another type: then nothing was deleted (a plain DEL
--   would delete whatever the key holds, another program's data included).
--
-- Atomic: the types are checked and the keys deleted in one script; DEL runs in chunks of RX_CHUNK
-- keys, so no call gets an unbounded number of arguments.
local bad = rx_wrong_types(KEYS, 'string')
if bad then
  return redis.error_reply(bad)
end
local removed = 0
local i = 1
while i <= #KEYS do
  local j = math.min(i + RX_CHUNK - 1, #KEYS)
  removed = removed + redis.call('DEL', unpack(KEYS, i, j))
  i = j + 1
end
return removed
