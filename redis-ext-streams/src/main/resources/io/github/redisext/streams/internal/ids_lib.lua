-- ids_lib.lua: stream id helpers shared by the consumer scripts (prepended after core_lib.lua).
--
-- id_less(a, b): whether stream id a sorts before b (numeric ms, then numeric sequence).
-- owned_by(key, group, consumer, ids, lo, hi): a table id -> true for the ids of `ids` whose
--   pending-list owner is `consumer`, lo and hi being the least and the greatest of the ids (the
--   caller computes them: string.match per id costs more here than the rest of a settlement):
--   one XPENDING over [lo, hi] filtered to the consumer when the
--   consumer's entries in that range fit in a reply of the ids + 32 (the usual case: a
--   batch settles a run of consecutive entries), else one XPENDING per id.
local function id_less(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  if #am ~= #bm then return #am < #bm end
  if am ~= bm then return am < bm end
  if #as ~= #bs then return #as < #bs end
  return as < bs
end

local function owned_by(key, group, consumer, ids, lo, hi)
  local owned = {}
  if #ids == 0 then return owned end
  local limit = #ids + 32
  local mine = redis.call('XPENDING', key, group, lo, hi, limit, consumer)
  if #mine < limit then
    local set = {}
    for _, p in ipairs(mine) do
      set[p[1]] = true
    end
    for _, id in ipairs(ids) do
      if set[id] then owned[id] = true end
    end
    return owned
  end
  for _, id in ipairs(ids) do
    local p = redis.call('XPENDING', key, group, id, id, 1)
    if p[1] and p[1][2] == consumer then owned[id] = true end
  end
  return owned
end
