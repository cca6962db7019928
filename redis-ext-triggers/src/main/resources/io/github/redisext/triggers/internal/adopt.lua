-- adopt.lua: takes triggers written by another writer (a bare SETEX, e.g. Python's RedisTrigger)
-- into the shard, found by a sweep (with their expire time) or by an expired event (due now).
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family, [7] the shard's actions SET, then per trigger its fired marker
-- ARGV triples: trigger key, due time in ms or '-1' (its key already expired: due now), its
-- (escaped) action
-- Reply: the trigger keys adopted.
-- A trigger already in the ZSET (armed by a Java set, or adopted before) or dead is left alone, so N
-- listeners and sweepers adopt it once. A fired marker (ack.lua) says the trigger fired lately:
-- an expired event for it is its own key's late event; a sweep adopts it only when the key's
-- expire time is later than the fired one (written again since).
-- Atomic: check and adoption in one step; types are checked first.
local bad = family_wrong_type() or actions_wrong_type() or extras_wrong_type(8, 'string')
if bad then return redis.error_reply(bad) end
local now = now_ms()
local out = {}
local p = 0
for i = 1, #ARGV, 3 do
  local k = ARGV[i]
  local due = tonumber(ARGV[i + 1])
  local marker = KEYS[8 + p]
  p = p + 1
  if not redis.call('ZSCORE', KEYS[1], k) and redis.call('HEXISTS', KEYS[6], k) == 0 then
    local fired = tonumber(redis.call('GET', marker))
    local take = true
    if fired and (due < 0 or due <= fired + 1000) then take = false end
    if take then
      if due < 0 then due = now end
      redis.call('ZADD', KEYS[1], due, k)
      redis.call('HSET', KEYS[2], k, due)
      redis.call('HSET', KEYS[5], k, '1')
      redis.call('HDEL', KEYS[4], k)
      redis.call('SADD', KEYS[7], ARGV[i + 2])
      out[#out + 1] = k
    end
  end
end
return out
