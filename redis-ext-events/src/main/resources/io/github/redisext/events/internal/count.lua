-- count.lua: counts live events by created-at range and status.
-- KEYS[1] index (zset)
-- ARGV[1] event ttl seconds, ARGV[2] min score, ARGV[3] max score, ARGV[4] status ('' = any),
-- ARGV[5] event key prefix
-- Reply: the count. First removes index entries whose events expired (created more than ttl ago),
-- so expired events are never counted; with a status, reads each event's status.
-- Atomic: the index is type-checked before its one write (the trim); nothing after it can fail.
local bad = rx_wrong_type(KEYS[1], 'zset')
if bad then return redis.error_reply(bad) end
local sec, usec = ev_time()
ev_trim(KEYS[1], sec, usec, tonumber(ARGV[1]))
local status = ARGV[4]
if status == '' then
  return redis.call('ZCOUNT', KEYS[1], ARGV[2], ARGV[3])
end
local n, off = 0, 0
while true do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[3], 'LIMIT', off, 1000)
  for _, id in ipairs(ids) do
    local key = ARGV[5] .. id
    if rx_type(key) == 'hash' and redis.call('HGET', key, 'status') == status then
      n = n + 1
    end
  end
  if #ids < 1000 then
    break
  end
  off = off + 1000
end
return n
