-- claim.lua: leases the due triggers of one shard to one consumer.
-- (core_lib.lua and triggers_lib.lua are prepended)
-- KEYS[1..6] the shard family (triggers_lib.lua)
-- ARGV[1] most triggers to claim, ARGV[2] lease in ms, ARGV[3] owner token, ARGV[4] max attempts
-- The due time of a trigger armed by set.lua is its score until this first claim records it in
-- the due-at HASH (the score becomes the lease deadline); retries keep the recorded one.
-- Reply: {server now ms, score of the earliest remaining entry or false, dead-lettered count,
-- then per claimed trigger: key, this delivery's attempt number, due time ms, '1' if adopted}
-- A due entry still carrying a lease is one whose consumer died or stalled: that delivery counts
-- as failed; the one reaching max attempts goes to the dead HASH instead of being claimed again.
-- Atomic: read and lease are one step, so a due trigger is claimed by exactly one consumer; the
-- entry never leaves the ZSET while leased (its score is the lease deadline), so a consumer that
-- dies loses nothing. Types are checked before the first write.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local max = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local token = ARGV[3]
local maxAttempts = tonumber(ARGV[4])
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, max)
local out = {now, false, 0}
local dead = 0
for d = 1, #due, 2 do
  local k = due[d]
  local failed = tonumber(redis.call('HGET', KEYS[4], k)) or 0
  local dueAt = tonumber(redis.call('HGET', KEYS[2], k))
  local leased = redis.call('HEXISTS', KEYS[3], k) == 1
  if not dueAt then
    -- armed by set.lua: the score is the due time until this first claim records it
    if leased then dueAt = now else dueAt = tonumber(due[d + 1]) end
    redis.call('HSET', KEYS[2], k, dueAt)
  end
  local alive = true
  if leased then
    failed = failed + 1
    if failed >= maxAttempts then
      forget(k)
      redis.call('HSET', KEYS[6], k, '{"error":"lease expired: the consumer died or stalled '
        .. 'without settling (attempt ' .. tostring(failed) .. ')","attempts":' .. tostring(failed)
        .. ',"dueAt":' .. tostring(dueAt) .. ',"failedAt":' .. tostring(now) .. '}')
      dead = dead + 1
      alive = false
    else
      redis.call('HSET', KEYS[4], k, failed)
    end
  end
  if alive then
    redis.call('ZADD', KEYS[1], now + lease, k)
    redis.call('HSET', KEYS[3], k, token)
    out[#out + 1] = k
    out[#out + 1] = failed + 1
    out[#out + 1] = dueAt
    out[#out + 1] = redis.call('HEXISTS', KEYS[5], k) == 1 and '1' or '0'
  end
end
out[3] = dead
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
out[2] = head[2] or false
return out
