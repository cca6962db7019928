-- list.lua: the durable subscriptions of an event type, from Redis (every process's).
-- KEYS[1] subscription registry (zset: name -> alive-until ms), KEYS[2] counter
-- ARGV[1] state key prefix ('<prefix>:subscription:<type>:'), ARGV[2] dead-letter key prefix
-- Reply: {now ms, counter, {name, alive_until, mode, cursor, position, missed, created_at, resets,
--   dead letters}...}
-- Read only.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'string')
if bad then return redis.error_reply(bad) end
local now = ev_now_ms()
local out = {now, tonumber(ev_val(redis.call('GET', KEYS[2])) or '0') or 0}
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  local name = all[i]
  local skey = ARGV[1] .. name
  local dkey = ARGV[2] .. name
  local s = {false, false, false, false, false, false}
  if rx_type(skey) == 'hash' then
    s = redis.call('HMGET', skey, 'mode', 'cursor', 'position', 'missed', 'created_at', 'resets')
  end
  local dead = 0
  if rx_type(dkey) == 'zset' then
    dead = redis.call('ZCARD', dkey)
  end
  out[#out + 1] = {name, all[i + 1], ev_val(s[1]) or '', ev_val(s[2]) or '0',
    ev_val(s[3]) or '0', ev_val(s[4]) or '0', ev_val(s[5]) or '', ev_val(s[6]) or '0', dead}
end
return out
