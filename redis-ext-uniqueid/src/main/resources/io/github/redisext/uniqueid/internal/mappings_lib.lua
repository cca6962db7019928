-- mappings_lib.lua: shared by find.lua and get_or_create.lua (prepended after core_lib.lua by
-- LuaScript.fromResources). Runs inside the caller's script, so it is atomic with it.
--
-- read_mappings(first, n) reads the mapping keys KEYS[first .. first + n - 1] with MGET (in chunks
-- of RX_CHUNK keys, so no call gets an unbounded number of arguments: Lua's unpack fails at about
-- 8,000 values) and checks every value before anything is written. Returns
--   values, absent   values[i] = the decimal text of mapping i, or false when it has none;
--                    absent = the indexes i without a mapping, in order
--   nil, reply       mapping i holds no decimal integer: reply = {0, i, raw} (raw: its text)
--   nil, text        mapping i is a key of another type: text = core_lib.lua's rx_wrong_type error
--                    ('WRONGTYPE redis-ext: string expected, <type> found at key <key>'), which the
--                    caller returns with redis.error_reply (LuaScript: WrongTypeException)

local function read_mappings(first, n)
  local raw = {}
  local i = 1
  while i <= n do
    local j = math.min(i + RX_CHUNK - 1, n)
    local part = redis.call('MGET', unpack(KEYS, first + i - 1, first + j - 1))
    for k = 1, #part do
      raw[i + k - 1] = part[k]
    end
    i = j + 1
  end
  local values = {}
  local absent = {}
  for i = 1, n do
    local v = raw[i]
    if v == '' then
      -- jedis-mock answers '' for a missing key (or one of another type) inside MGET; GET tells
      -- them apart
      v = redis.pcall('GET', KEYS[first + i - 1])
      if type(v) == 'table' and v.err then
        local bad = rx_wrong_type(KEYS[first + i - 1], 'string')
        if bad then
          return nil, bad
        end
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
    local found = 0
    local c = 1
    while c <= #keys and found == 0 do
      local d = math.min(c + RX_CHUNK - 1, #keys)
      found = redis.call('EXISTS', unpack(keys, c, d))
      c = d + 1
    end
    if found > 0 then
      local bad = rx_wrong_types(keys, 'string')
      if bad then
        return nil, bad
      end
    end
  end
  return values, absent
end
