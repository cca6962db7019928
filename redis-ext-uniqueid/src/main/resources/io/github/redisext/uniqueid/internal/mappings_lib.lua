-- mappings_lib.lua: shared by find.lua and get_or_create.lua (prepended by
-- LuaScript.fromResources). Runs inside the caller's script, so it is atomic with it.
--
-- read_mappings(first, n) reads the mapping keys KEYS[first .. first + n - 1] with one MGET and
-- checks every value before anything is written. Returns
--   values, absent   values[i] = the decimal text of mapping i, or false when it has none;
--                    absent = the indexes i without a mapping, in order
--   nil, reply       mapping i holds no decimal integer: reply = {0, i, raw} (raw: its text, or
--                    'WRONGTYPE ...' for a key that is not a string)
local unpack = table.unpack or unpack

local function read_mappings(first, n)
  local raw = redis.call('MGET', unpack(KEYS, first, first + n - 1))
  local values = {}
  local absent = {}
  for i = 1, n do
    local v = raw[i]
    if v == '' then
      -- jedis-mock answers '' for a missing key inside MGET; GET tells them apart
      v = redis.pcall('GET', KEYS[first + i - 1])
      if type(v) == 'table' and v.err then
        return nil, {0, i, v.err}
      end
    end
    if v then
      if #v > 18 or not string.match(v, '^%-?%d+$') then
        return nil, {0, i, v}
      end
      values[i] = v
    else
      values[i] = false
      absent[#absent + 1] = i
    end
  end
  -- MGET answers nil for a key of another type as well: report those instead of "absent"
  if #absent > 0 then
    local keys = {}
    for j = 1, #absent do
      keys[j] = KEYS[first + absent[j] - 1]
    end
    if redis.call('EXISTS', unpack(keys)) > 0 then
      for j = 1, #absent do
        local t = redis.call('TYPE', keys[j])
        t = t.ok or t
        if t ~= 'none' then
          return nil, {0, absent[j], 'WRONGTYPE the key holds a ' .. t .. ', not a string'}
        end
      end
    end
  end
  return values, absent
end
