-- find.lua: the ids already mapped to some names of one namespace; creates nothing.
--
-- KEYS[1..n]  the mapping keys <klass>:id:<name> (STRING holding the decimal id)
-- ARGV[1]     time to live of a mapping, in milliseconds
-- ARGV[2]     "1": reset the time to live of every mapping found (refresh on read); "0": leave it
--
-- Reply, one of
--   {1, v_1, ..., v_n}  per key, in KEYS order: the decimal text of its id, or '' when the key
--                       has no mapping (an empty string is never a valid id)
--   {0, i, raw}         KEYS[i] holds no decimal integer (raw is its text, or the server's error
--                       for a value that is not a string); nothing was changed
--
-- Atomic: the values are read and checked, and only then refreshed, in one script that no other
-- command interleaves with, so a refresh never extends a mapping that another client just
-- removed or replaced.

local n = #KEYS
local reply = {1}
for i = 1, n do
  local v = redis.pcall('GET', KEYS[i])
  if type(v) == 'table' and v.err then
    return {0, i, v.err}
  end
  if v then
    if #v > 18 or not string.match(v, '^%-?%d+$') then
      return {0, i, v}
    end
    reply[i + 1] = v
  else
    reply[i + 1] = ''
  end
end
if ARGV[2] == '1' then
  for i = 1, n do
    if reply[i + 1] ~= '' then
      redis.call('PEXPIRE', KEYS[i], ARGV[1])
    end
  end
end
return reply
