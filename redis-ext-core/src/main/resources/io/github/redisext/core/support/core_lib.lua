-- core_lib.lua: redis-ext's shared Lua helpers. Prepended to an operation script with
-- LuaScript.fromResources(anchor, LuaScript.CORE_LIB, ..., "op.lua"); defines local functions only.
--
-- rx_wrong_type(key1, type1, key2, type2, ...)
--   nil when every key is missing or holds its expected type ('string', 'list', 'set', 'zset',
--   'hash', 'stream'); otherwise the error text
--   'WRONGTYPE redis-ext: <expected> expected, <found> found at key <key>'
--   which LuaScript turns into io.github.redisext.core.WrongTypeException. A script calls it before
--   its first write (Redis keeps a script's earlier writes when a later command fails):
--     local bad = rx_wrong_type(KEYS[1], 'list', KEYS[2], 'hash')
--     if bad then return redis.error_reply(bad) end
--
-- rx_wrong_types(keys, expected)
--   the same for a table of keys that must all hold one type.
--
-- rx_chunked(command, key, items[, first[, last]])
--   redis.call(command, key, <items first..last>) in chunks of RX_CHUNK arguments, so that no call
--   passes more arguments than Lua's C stack takes (unpack of about 8,000 values fails with "too
--   many results to unpack"); returns the sum of the integer replies (what HDEL, ZREM, SADD count)
--   and the last reply (what LPUSH/RPUSH count: the list's length).
--   Only for commands whose effect over chunks equals their effect at once (LPUSH, RPUSH, HDEL,
--   ZREM, SADD, SREM, HSET/ZADD with pairs: use rx_chunked_pairs).
--
-- rx_chunked_pairs(command, key, items[, prefix])
--   like rx_chunked for field/value (or score/member) pairs: chunks never split a pair; prefix
--   (a table, e.g. {'NX'}) goes before each chunk's pairs. Returns the sum of the integer replies.
local unpack = table.unpack or unpack
local RX_CHUNK = 1000

local function rx_type(key)
  local t = redis.call('TYPE', key)
  if type(t) == 'table' then
    t = t['ok']
  end
  return t
end

local function rx_wrong_type(...)
  local a = {...}
  for i = 1, #a, 2 do
    local t = rx_type(a[i])
    if t ~= 'none' and t ~= a[i + 1] then
      return 'WRONGTYPE redis-ext: ' .. a[i + 1] .. ' expected, ' .. t .. ' found at key ' .. a[i]
    end
  end
  return nil
end

local function rx_wrong_types(keys, expected)
  for i = 1, #keys do
    local bad = rx_wrong_type(keys[i], expected)
    if bad then
      return bad
    end
  end
  return nil
end

local function rx_chunked(command, key, items, first, last)
  first = first or 1
  last = last or #items
  local total = 0
  local r = 0
  local i = first
  while i <= last do
    local j = math.min(i + RX_CHUNK - 1, last)
    r = redis.call(command, key, unpack(items, i, j))
    if type(r) == 'number' then
      total = total + r
    end
    i = j + 1
  end
  return total, r
end

local function rx_chunked_pairs(command, key, items, prefix)
  local total = 0
  local n = #items
  local i = 1
  while i <= n do
    local j = math.min(i + RX_CHUNK - 1, n)
    local args = {}
    if prefix then
      for p = 1, #prefix do
        args[#args + 1] = prefix[p]
      end
    end
    for k = i, j do
      args[#args + 1] = items[k]
    end
    local r = redis.call(command, key, unpack(args))
    if type(r) == 'number' then
      total = total + r
    end
    i = j + 1
  end
  return total
end
