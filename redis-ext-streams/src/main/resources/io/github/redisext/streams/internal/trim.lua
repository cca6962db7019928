-- trim.lua: removes the stream's entries that every consumer group has acknowledged, never one
-- still pending in any group or not yet delivered to one: trims with MINID to the oldest id that
-- some group still needs (its oldest pending entry, else the entry after its last delivered id).
-- With no group at all nothing is trimmed.
-- KEYS[1] the stream
-- ARGV[1] '~' for approximate trimming (whole macro nodes, cheaper) or '=' for exact
-- Reply: the number of entries removed
-- Atomic: the floor is computed and applied in one script; the key type is checked first.
local bad = rx_wrong_type(KEYS[1], 'stream')
if bad then return redis.error_reply(bad) end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then return 0 end
local function next_id(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return ms .. '-' .. tostring(tonumber(seq) + 1)
end
local floor = nil
for _, g in ipairs(groups) do
  local name, last = nil, nil
  for k = 1, #g, 2 do
    if g[k] == 'name' then name = g[k + 1] end
    if g[k] == 'last-delivered-id' then last = g[k + 1] end
  end
  local s = redis.call('XPENDING', KEYS[1], name)
  local need
  if s[1] > 0 then
    need = s[2]
  else
    need = next_id(last)
  end
  if not floor or id_less(need, floor) then
    floor = need
  end
end
return redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1], floor)
