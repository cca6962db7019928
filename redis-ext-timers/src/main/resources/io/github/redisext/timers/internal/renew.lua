-- renew.lua: extends the leases of timers of one shard whose handlers are running or queued.
-- (core_lib.lua and timers_lib.lua are prepended: rx_wrong_type, rx_type, rx_chunked_pairs, same_score, read_locks)
-- KEYS[1] timeline ZSET, KEYS[2..] the timers' lock keys (in the order of ARGV's triples)
-- ARGV[1] lease in ms, ARGV[2] the new hidden score (chosen by the caller, so that it knows it
-- even when this reply is lost), then triples: lock token, timer key, hidden score set at
-- claim/last renewal
-- Reply: {new hidden score, {one integer per timer}}: 1 renewed (its hidden score is now the new
-- one), 2 lock renewed but the timer was set again meanwhile and is left alone (keep the old
-- hidden score), 0 the lock is no longer ours or holds another type (lease lost: nothing changed
-- for that timer); or the error 'WRONGTYPE redis-ext: ...' naming the timeline of another type
-- (nothing changed).
-- Atomic: per timer the token check, the lock's new expiry and the timer's new hidden score are
-- one step. Lock contents are read with MGET (nil for another type) before any write.
local bad = rx_wrong_type(KEYS[1], 'zset')
if bad then
  return redis.error_reply(bad)
end
local locks, values = read_locks(2)
local n = #locks
local lease = ARGV[1]
local hidden = ARGV[2]
local out, pairs_ = {}, {}
for k = 1, n do
  local a = 3 * k
  local r = 0
  if values[k] == ARGV[a] then
    redis.call('PEXPIRE', locks[k], lease)
    local score = redis.call('ZSCORE', KEYS[1], ARGV[a + 1])
    if same_score(score, ARGV[a + 2]) then
      pairs_[#pairs_ + 1] = hidden
      pairs_[#pairs_ + 1] = ARGV[a + 1]
      r = 1
    else
      r = 2
    end
  end
  out[k] = r
end
if #pairs_ > 0 then
  rx_chunked_pairs('ZADD', KEYS[1], pairs_, {'XX'})
end
return {hidden, out}
