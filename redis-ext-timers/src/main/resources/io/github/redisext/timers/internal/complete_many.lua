-- complete_many.lua: handlers of several timers of one shard returned: remove them, release locks.
-- (core_lib.lua and timers_lib.lua are prepended: rx_wrong_type, rx_type, rx_chunked, same_score, read_locks)
-- KEYS[1] timeline ZSET, KEYS[2] payloads HASH, KEYS[3] attempts HASH, KEYS[4..] the timers' lock
-- keys (one per timer, in the order of the timers in ARGV)
-- ARGV[1] G = number of (lock token, hidden score, other hidden score) groups, ARGV[2..3G+1] the
-- groups' tokens, hidden scores set at claim/renewal and the hidden score of a renewal whose reply
-- was lost ('' if none) - a claim's timers share them -, then per timer: its group (1..G) and its
-- timer key
-- Reply: one integer per timer: 1 removed; 2 lock released, but the timer was set again (or
-- removed) while its handler ran, so the new version is kept; 0 the lock is no longer ours (lease
-- lost): nothing changed for that timer; 3 its lock key holds another type than a string (someone
-- overwrote it): nothing changed for that timer. Or the error 'WRONGTYPE redis-ext: ...' naming
-- the timeline, payloads or attempts key when it holds another type: then nothing changed at all.
-- Atomic: per timer, the token check, the removal and the compare-and-delete release are one
-- step (the whole batch is), so a consumer whose lease ran out never removes a timer another
-- consumer owns. The shared keys' types are checked before the first write, each lock key's
-- content (MGET: nil for a missing key or another type, TYPE tells which) before any write, so no
-- command can fail after a write. Hidden scores are compared as numbers (the reply of ZSCORE may
-- spell a score differently from the text that set it).
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'hash')
if bad then
  return redis.error_reply(bad)
end
local locks, values = read_locks(4)
local n = #locks
local g = tonumber(ARGV[1])
local base = 3 * g + 1
local members, tokens, hiddens, others = {}, {}, {}, {}
for k = 1, n do
  local grp = tonumber(ARGV[base + 2 * k - 1])
  members[k] = ARGV[base + 2 * k]
  tokens[k] = ARGV[3 * grp - 1]
  hiddens[k] = ARGV[3 * grp]
  others[k] = ARGV[3 * grp + 1]
end
-- the timers' scores (ZSCORE each: jedis-mock's ZMSCORE answers wrong scores)
local scores = {}
for k = 1, n do
  scores[k] = redis.call('ZSCORE', KEYS[1], members[k])
end
local out, release, remove = {}, {}, {}
for k = 1, n do
  local r = 0
  if values[k] == tokens[k] then
    release[#release + 1] = locks[k]
    if same_score(scores[k], hiddens[k])
        or (others[k] ~= '' and same_score(scores[k], others[k])) then
      remove[#remove + 1] = members[k]
      r = 1
    else
      r = 2
    end
  elseif not values[k] or values[k] == '' then
    local lt = rx_type(locks[k])
    if lt ~= 'string' and lt ~= 'none' then
      r = 3
    end
  end
  out[k] = r
end
if #release > 0 then
  local c = 1
  while c <= #release do
    local d = math.min(c + RX_CHUNK - 1, #release)
    redis.call('DEL', unpack(release, c, d))
    c = d + 1
  end
end
if #remove > 0 then
  rx_chunked('ZREM', KEYS[1], remove)
  rx_chunked('HDEL', KEYS[2], remove)
  if redis.call('EXISTS', KEYS[3]) == 1 then
    rx_chunked('HDEL', KEYS[3], remove)
  end
end
return out
