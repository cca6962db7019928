-- complete_many.lua: handlers of several timers of one shard finished: remove them, release locks.
-- (core_lib.lua is prepended: rx_wrong_type)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH
-- ARGV quadruples: lock key, lock token, timer key, hidden score set at claim/renewal
-- Reply: one integer per timer, as complete.lua: 1 removed; 2 lock released, but the timer was
-- set again (or removed) while its handler ran, so the new version is kept; 0 the lock is no
-- longer ours (lease lost): nothing changed for that timer; 3 its lock key holds another type than
-- a string (someone overwrote it): nothing changed for that timer. Or the error
-- 'WRONGTYPE redis-ext: ...' naming the timeline, payloads or attempts key when it holds another
-- type: then nothing changed at all.
-- Atomic: per timer, the token check, the removal and the compare-and-delete release are one
-- step (the whole batch is), so a consumer whose lease ran out never removes a timer another
-- consumer owns. The shared keys' types are checked before the first write, each lock key's type
-- before that timer's writes, so no command can fail after a write.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash')
if bad then
  return redis.error_reply(bad)
end
local out = {}
for i = 1, #ARGV, 4 do
  local r = 0
  if rx_wrong_type(ARGV[i], 'string') then
    r = 3
  elseif redis.call('GET', ARGV[i]) == ARGV[i + 1] then
    redis.call('DEL', ARGV[i])
    if redis.call('ZSCORE', KEYS[1], ARGV[i + 2]) == ARGV[i + 3] then
      redis.call('ZREM', KEYS[1], ARGV[i + 2])
      redis.call('HDEL', KEYS[2], ARGV[i + 2])
      redis.call('HDEL', KEYS[3], ARGV[i + 2])
      r = 1
    else
      r = 2
    end
  end
  out[#out + 1] = r
end
return out
