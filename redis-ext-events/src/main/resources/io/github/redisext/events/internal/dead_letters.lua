-- dead_letters.lua: the oldest dead letters of a subscription.
-- KEYS[1] dead letters (zset: id -> failed-at ms), KEYS[2] dead data (hash)
-- ARGV[1] most to return
-- Reply: {{id, failed_at ms, payload, error, attempts, created_at, consumer}...}. Read only.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash')
if bad then return redis.error_reply(bad) end
local out = {}
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
for i = 1, #ids, 2 do
  local id = ids[i]
  local d = redis.call('HMGET', KEYS[2], id .. ':payload', id .. ':error', id .. ':attempts',
    id .. ':created_at', id .. ':consumer')
  out[#out + 1] = {id, ids[i + 1], ev_val(d[1]) or '', ev_val(d[2]) or '', ev_val(d[3]) or '1',
    ev_val(d[4]) or '', ev_val(d[5]) or ''}
end
return out
