-- prune_consumers.lua: deletes the group's consumers that have nothing pending and have been idle
-- longer than a threshold (left behind by stopped or crashed processes), never this consumer.
-- KEYS[1] the stream
-- ARGV[1] group, ARGV[2] this consumer, ARGV[3] idle threshold (ms)
-- Reply: the names of the consumers deleted
-- Atomic: the pending count is read in the same script as the delete, so a consumer that got an
-- entry meanwhile is never deleted (XGROUP DELCONSUMER would drop its pending entries).
local bad = rx_wrong_type(KEYS[1], 'stream')
if bad then return redis.error_reply(bad) end
local out = {}
local limit = tonumber(ARGV[3])
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local name, pending, idle = nil, nil, nil
  for k = 1, #c, 2 do
    if c[k] == 'name' then name = c[k + 1] end
    if c[k] == 'pending' then pending = c[k + 1] end
    if c[k] == 'idle' then idle = c[k + 1] end
  end
  if name ~= ARGV[2] and pending == 0 and idle > limit then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    out[#out + 1] = name
  end
end
return out
