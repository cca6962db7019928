-- registry_announce.lua: records that a primitive exists (Registry.announce).
-- KEYS[1] the registry hash (redis-ext:registry)
-- ARGV[1] field '<kind>:<name>'; ARGV[2] the entry's JSON object without its closing brace;
-- ARGV[3] the most fields the registry takes
-- Reply: 1 written, 0 not written because the registry is full (a new field over the cap).
-- Atomic: one script keeps the entry's firstSeen while it updates lastSeen (server clock);
-- the type check comes before the only write.
local bad = rx_wrong_type(KEYS[1], 'hash')
if bad then
  return redis.error_reply(bad)
end
local t = redis.call('TIME')
local now = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
local first = now
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local f = string.match(old, '"firstSeen":(%d+)')
  if f then
    first = f
  end
elseif redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ',"firstSeen":' .. first .. ',"lastSeen":' .. now .. '}')
return 1
