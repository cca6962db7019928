-- find.lua: the ids already mapped to some names of one namespace; creates nothing.
--
-- KEYS[1..n]  the mapping keys <klass>:id:<name>, at most 1000 (STRING holding the decimal id)
-- ARGV[1]     time to live of a mapping, in milliseconds
-- ARGV[2]     "1": reset the time to live of every mapping found (refresh on read); "0": leave it
--
-- Reply, one of
--   {1, v_1, ..., v_n}  per key, in KEYS order: the decimal text of its id, or '' when the key
--                       has no mapping (an empty string is never a valid id)
--   {0, i, raw}         KEYS[i] holds no decimal integer (raw is its text, or 'WRONGTYPE ...'
--                       for a key that is not a string); nothing was changed
--
-- Atomic: the values are read and checked, and only then refreshed, in one script that no other
-- command interleaves with, so a refresh never extends a mapping that another client just
-- removed or replaced.

local n = #KEYS
local values = redis.call('MGET', unpack(KEYS))
local reply = {1}
local absent = {}
for i = 1, n do
  local v = values[i]
  if v == '' then
    -- jedis-mock answers '' for a missing key inside MGET; GET tells them apart
    v = redis.pcall('GET', KEYS[i])
    if type(v) == 'table' and v.err then
      return {0, i, v.err}
    end
  end
  if v then
    if #v > 18 or not string.match(v, '^%-?%d+$') then
      return {0, i, v}
    end
    reply[i + 1] = v
  else
    reply[i + 1] = ''
    absent[#absent + 1] = i
  end
end
-- MGET answers nil for a key of another type as well: report those instead of "absent"
if #absent > 0 then
  local keys = {}
  for j = 1, #absent do
    keys[j] = KEYS[absent[j]]
  end
  if redis.call('EXISTS', unpack(keys)) > 0 then
    for j = 1, #absent do
      local t = redis.call('TYPE', keys[j])
      t = t.ok or t
      if t ~= 'none' then
        return {0, absent[j], 'WRONGTYPE the key holds a ' .. t .. ', not a string'}
      end
    end
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
