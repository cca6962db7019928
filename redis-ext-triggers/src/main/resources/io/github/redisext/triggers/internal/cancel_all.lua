-- cancel_all.lua: cancels every trigger of one identifier (all actions), found through the
-- identifier index: the lexicographic range of '<identifier>:' in one ZSET, no SCAN.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the identifier index ZSET
-- ARGV[1] '1' = also delete the TTL keys here (standalone server), '0' = the caller does;
-- ARGV[2] the escaped identifier (no ':'); ARGV[3] the tenant's key prefix '<tenant>:EXPTRIGGER:'
-- Reply: the trigger keys cancelled.
-- Atomic: every trigger of the identifier goes in one step; types are checked first. (Members are
-- '<identifier>:<action>'; a member whose rest holds another ':' belongs to an adopted key whose
-- identifier itself contains ':', i.e. another identifier, and is left alone. The trigger key is
-- built by concatenation, never passed on as a string.sub result: see CONTRIBUTING, jedis-mock.)
local bad = family_wrong_type() or index_wrong_type()
if bad then return redis.error_reply(bad) end
if redis.call('EXISTS', KEYS[7]) == 0 then return {} end
local id = ARGV[2]
local from = id .. ':'
local members = redis.call('ZRANGEBYLEX', KEYS[7], '[' .. from, '(' .. id .. ';')
local gone = {}
local drop = {}
for _, m in ipairs(members) do
  local action = string.sub(m, #from + 1)
  if not string.find(action, ':', 1, true) then
    local k = ARGV[3] .. action .. ':' .. id
    forget(k)
    if ARGV[1] == '1' then redis.call('DEL', k) end
    gone[#gone + 1] = k
    drop[#drop + 1] = m
  end
end
if #drop > 0 then rx_chunked('ZREM', KEYS[7], drop) end
return gone
