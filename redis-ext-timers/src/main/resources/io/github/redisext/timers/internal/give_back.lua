-- give_back.lua: claimed timers of one shard whose handlers never started (shutdown) are due
-- again at once: their due score is put back and their locks released; attempts are unchanged.
-- (core_lib.lua and timers_lib.lua are prepended: rx_wrong_type, rx_chunked_pairs, same_score, read_locks)
-- KEYS[1] timeline ZSET, KEYS[2..] the timers' lock keys (in the order of ARGV's quadruples)
-- ARGV quadruples: lock token, timer key, hidden score set at claim/renewal, due score at claim
-- Reply: how many were given back (the others' locks were lost or they were set again
-- meanwhile: nothing changed for them); or the error 'WRONGTYPE redis-ext: ...' naming the
-- timeline of another type (nothing changed).
-- Atomic: token check, due score restored and lock released in one step. Lock contents are read
-- with MGET (nil for another type) before any write.
local bad = rx_wrong_type(KEYS[1], 'zset')
if bad then
  return redis.error_reply(bad)
end
local locks, values = read_locks(2)
local n = #locks
local release, pairs_ = {}, {}
for k = 1, n do
  local a = 4 * k - 3
  if values[k] == ARGV[a] then
    release[#release + 1] = locks[k]
    local score = redis.call('ZSCORE', KEYS[1], ARGV[a + 1])
    if same_score(score, ARGV[a + 2]) then
      pairs_[#pairs_ + 1] = ARGV[a + 3]
      pairs_[#pairs_ + 1] = ARGV[a + 1]
    end
  end
end
if #pairs_ > 0 then
  rx_chunked_pairs('ZADD', KEYS[1], pairs_, {'XX'})
end
local c = 1
while c <= #release do
  local d = math.min(c + RX_CHUNK - 1, #release)
  redis.call('DEL', unpack(release, c, d))
  c = d + 1
end
return #pairs_ / 2
