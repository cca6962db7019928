-- fail.lua: handlers of timers of one shard failed (or the timers cannot be handled): retry each
-- later or move it aside to the dead timers.
-- (core_lib.lua and timers_lib.lua are prepended: rx_wrong_type, rx_type, same_score, read_locks)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH, KEYS[4] dead HASH,
-- KEYS[5..] the timers' lock keys (in the order of ARGV's groups)
-- ARGV groups of six: lock token, timer key, hidden score set at claim/renewal, retry delay in
-- ms or '-' to move the timer aside, dead record JSON (payload, error, attempts, failedAt; '' for
-- a retry), the hidden score of a renewal whose reply was lost ('' if none)
-- Reply: one {status, attempts} per timer: 'retry' (rescheduled at server now + delay), 'dead'
-- (moved to the dead HASH with its raw payload and error), 'reset' (set again while handled: new
-- version kept), 'lost' (the lock is no longer ours: nothing changed), 'badlock' (its lock key
-- holds another type than a string: nothing changed); or the error 'WRONGTYPE redis-ext: ...'
-- naming the timeline, payloads, attempts or dead key of another type: then nothing changed.
-- Atomic: token check, attempt count, reschedule or move aside, and lock release are one step;
-- the timer is never in neither place. Every shared key's type is checked before the first write,
-- every lock key's before that timer's writes.
local function ms_to_score(ms)
  local s = math.floor(ms / 1000)
  return tostring(s) .. '.' .. string.format('%03d', ms - s * 1000)
end
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash', KEYS[4], 'hash')
if bad then
  return redis.error_reply(bad)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for k = 5, #KEYS do
  local lock = KEYS[k]
  local a = 6 * (k - 5) + 1
  local member = ARGV[a + 1]
  local r
  local lt = rx_type(lock)
  if lt ~= 'string' and lt ~= 'none' then
    r = {'badlock', 0}
  elseif redis.call('GET', lock) ~= ARGV[a] then
    r = {'lost', 0}
  else
    redis.call('DEL', lock)
    local score = redis.call('ZSCORE', KEYS[1], member)
    if not same_score(score, ARGV[a + 2])
        and (ARGV[a + 5] == '' or not same_score(score, ARGV[a + 5])) then
      r = {'reset', 0}
    else
      local n = redis.call('HINCRBY', KEYS[3], member, 1)
      if ARGV[a + 3] == '-' then
        redis.call('HSET', KEYS[4], member, ARGV[a + 4])
        redis.call('ZREM', KEYS[1], member)
        redis.call('HDEL', KEYS[2], member)
        redis.call('HDEL', KEYS[3], member)
        r = {'dead', n}
      else
        redis.call('ZADD', KEYS[1], 'XX', ms_to_score(now + tonumber(ARGV[a + 3])), member)
        r = {'retry', n}
      end
    end
  end
  out[#out + 1] = r
end
return out
