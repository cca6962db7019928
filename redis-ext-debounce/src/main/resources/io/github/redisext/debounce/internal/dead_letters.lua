-- dead_letters.lua: reads up to ARGV[1] dead letters.
-- KEYS: the family (family_lib.lua); reads [6] dead-letter HASH and [7] dead-letter info HASH.
-- ARGV[1] the most dead letters to read (1..100000)
-- Reply: {{member, error, ...}, {info or false, ...}} (info: 'attempts epochSeconds', one per
-- member, in the same order)
-- Atomic: one snapshot of both hashes; a key of the family that holds another type is reported.
-- Bounded: HSCAN stops once ARGV[1] members are read, so a huge dead-letter hash is not read whole.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local max = tonumber(ARGV[1])
local out, infos, seen = {}, {}, {}
local cursor = '0'
repeat
  local r = redis.call('HSCAN', KEYS[6], cursor, 'COUNT', math.min(math.max(max, 10), 1000))
  cursor = r[1]
  local kv = r[2]
  for i = 1, #kv, 2 do
    if #infos < max and not seen[kv[i]] then
      seen[kv[i]] = true
      out[#out + 1] = kv[i]
      out[#out + 1] = kv[i + 1]
      infos[#infos + 1] = redis.call('HGET', KEYS[7], kv[i])
    end
  end
until cursor == '0' or #infos >= max
return {out, infos}
