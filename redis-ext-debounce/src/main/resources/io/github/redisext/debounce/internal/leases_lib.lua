-- leases_lib.lua: shared by pop.lua and claim.lua (prepended by LuaScript.fromResources).
-- Defines return_expired_leases(limit, maxAttempts, now, nowS) -> recovered, deadLettered.
-- KEYS as in pop.lua / claim.lua: [1] tasks ZSET, [3] processing ZSET, [4] leases HASH,
-- [5] attempts HASH, [6] dead-letter HASH, [7] dead-letter info HASH.
-- Up to `limit` leases whose deadline passed go back to the tasks, due now (or keep an earlier
-- due time); a delivery whose lease ran out counts as a failed attempt, and the one that reaches
-- maxAttempts is dead-lettered instead. Runs inside the caller's script, so it is atomic with it.
-- The caller has checked every key's type (family_lib.lua) before calling it.
local function return_expired_leases(limit, maxAttempts, now, nowS)
  local recovered = 0
  local dead = 0
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', nowS, 'LIMIT', 0, limit)
  for _, m in ipairs(expired) do
    drop_lease(m)
    -- not HINCRBY: it fails on a count that is not an integer, after the writes above
    local n = (tonumber(redis.call('HGET', KEYS[5], m)) or 0) + 1
    redis.call('HSET', KEYS[5], m, tostring(n))
    if n >= maxAttempts then
      redis.call('HDEL', KEYS[5], m)
      redis.call('HSET', KEYS[6], m, 'lease expired: the consumer died or stalled without '
        .. 'acknowledging (attempt ' .. tostring(n) .. ')')
      redis.call('HSET', KEYS[7], m, tostring(n) .. ' ' .. nowS)
      dead = dead + 1
    else
      due_by(m, now, nowS)
      recovered = recovered + 1
    end
  end
  return recovered, dead
end
