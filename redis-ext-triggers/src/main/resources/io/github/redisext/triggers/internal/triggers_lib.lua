-- triggers_lib.lua: shared by every shard script (prepended after core's core_lib.lua).
-- The shard family, always KEYS[1..6]: [1] due ZSET (trigger key -> due time in epoch ms, or the
-- lease deadline while a consumer holds it), [2] due-at HASH (trigger key -> due time, epoch ms),
-- [3] leases HASH (trigger key -> owner token of the consumer holding it), [4] attempts HASH
-- (trigger key -> failed deliveries), [5] adopted HASH (trigger key -> '1' for a trigger written by
-- another writer, e.g. Python's bare SETEX, and adopted from a sweep or an expired event),
-- [6] dead HASH (trigger key -> dead record JSON). Scripts that arm or cancel by identifier take
-- KEYS[7], the shard's actions SET: every (escaped) action armed in the shard. It is the
-- identifier index: the triggers of identifier i are the keys '<tenant>:EXPTRIGGER:<a>:<i>' for
-- each action a of the SET that stand in the due ZSET, so no write per trigger keeps it.
--
-- family_wrong_type() -> nil, or the WRONGTYPE text naming the first family key of another type.
-- now_ms() -> the server clock in epoch milliseconds.
-- owned(k, token) -> whether k is leased to token.
-- forget(k) -> removes k's waiting/leased state (not its dead record); the caller checked types.
-- actions_wrong_type() -> nil, or the WRONGTYPE text for KEYS[7] (the actions SET).
-- strings_wrong_type(first, last) -> nil, or the WRONGTYPE text naming the first of
-- KEYS[first..last] that holds something else than a STRING: one EXISTS (and, when some exist,
-- one MGET) per 1,000 keys; only when those cannot tell (a key of another type, or an empty
-- string) does it fall back to a TYPE per key.
-- extras_wrong_type(first, type1, type2, ...) -> nil, or the WRONGTYPE text naming the first of
-- KEYS[first..] of another type; the keys take the given types in turn (per-trigger key groups,
-- e.g. 'string' for each trigger's fired marker).
local function family_wrong_type()
  return rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash', KEYS[4], 'hash',
    KEYS[5], 'hash', KEYS[6], 'hash')
end

local function actions_wrong_type()
  return rx_wrong_type(KEYS[7], 'set')
end

-- MGET answers nil (false) for a missing key and for a key of another type (jedis-mock: ''), so
-- when the strings it returns are as many as EXISTS counted, every existing key is a STRING.
local function strings_wrong_type(first, last)
  local i = first
  while i <= last do
    local j = math.min(i + RX_CHUNK - 1, last)
    local existing = redis.call('EXISTS', unpack(KEYS, i, j))
    if existing > 0 then
      local values = redis.call('MGET', unpack(KEYS, i, j))
      local strings = 0
      for v = 1, j - i + 1 do
        if values[v] and values[v] ~= '' then strings = strings + 1 end
      end
      if strings < existing then
        for x = i, j do
          local bad = rx_wrong_type(KEYS[x], 'string')
          if bad then return bad end
        end
      end
    end
    i = j + 1
  end
  return nil
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function owned(k, token)
  return redis.call('HGET', KEYS[3], k) == token
end

local function forget(k)
  redis.call('ZREM', KEYS[1], k)
  redis.call('HDEL', KEYS[2], k)
  redis.call('HDEL', KEYS[3], k)
  redis.call('HDEL', KEYS[4], k)
  redis.call('HDEL', KEYS[5], k)
end

local function extras_wrong_type(first, ...)
  local types = {...}
  for i = first, #KEYS do
    local bad = rx_wrong_type(KEYS[i], types[(i - first) % #types + 1])
    if bad then return bad end
  end
  return nil
end
