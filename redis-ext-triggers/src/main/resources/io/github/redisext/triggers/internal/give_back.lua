-- give_back.lua: claimed triggers whose handlers never started (shutdown), or adopted triggers
-- whose TTL key was re-armed by their writer, are due again: lease dropped, attempts unchanged.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family; ARGV triples: owner token, trigger key, new due time in ms ('' =
-- the due time it had)
-- Reply: how many were given back (the others were no longer ours: nothing changed for them).
-- Atomic: owner check, lease drop and due time in one step; types are checked first.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local now = now_ms()
local n = 0
for i = 1, #ARGV, 3 do
  local k = ARGV[i + 1]
  if owned(k, ARGV[i]) then
    local due
    if ARGV[i + 2] == '' then
      due = tonumber(redis.call('HGET', KEYS[2], k)) or now
    else
      due = tonumber(ARGV[i + 2])
      redis.call('HSET', KEYS[2], k, due)
    end
    redis.call('HDEL', KEYS[3], k)
    redis.call('ZADD', KEYS[1], due, k)
    n = n + 1
  end
end
return n
