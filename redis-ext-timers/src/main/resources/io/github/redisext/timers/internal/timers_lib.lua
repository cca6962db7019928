-- timers_lib.lua: shared by complete_many.lua, fail.lua, give_back.lua and renew.lua (prepended
-- after core's core_lib.lua by LuaScript.fromResources).
--
-- same_score(score, expected) -> whether a ZSCORE reply is the hidden score `expected`. A hidden
-- score is whole milliseconds: compare as numbers within a tenth of one (ZSCORE may spell a score
-- differently from the text that set it, and Lua implementations parse decimals with different
-- rounding).
local function same_score(score, expected)
  return score and math.abs(tonumber(score) - tonumber(expected)) < 0.0001
end

-- read_locks(first) -> locks, values: the lock keys KEYS[first..#KEYS] and their values, read with
-- one MGET per RX_CHUNK keys (nil/false for a missing key or a key of another type; jedis-mock
-- answers '' there, which matches no token either). Reads only: call it before any write.
local function read_locks(first)
  local locks = {}
  for i = first, #KEYS do
    locks[#locks + 1] = KEYS[i]
  end
  local n = #locks
  local values = {}
  local i = 1
  while i <= n do
    local j = math.min(i + RX_CHUNK - 1, n)
    local got = redis.call('MGET', unpack(locks, i, j))
    for k = 1, j - i + 1 do
      values[i + k - 1] = got[k]
    end
    i = j + 1
  end
  return locks, values
end
