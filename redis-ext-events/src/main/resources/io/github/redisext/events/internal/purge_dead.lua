-- purge_dead.lua: deletes dead letters for good.
-- KEYS[1] dead letters (zset), KEYS[2] dead data (hash)
-- ARGV ids ('*' alone: all of them)
-- Reply: how many were deleted. Atomic: both keys type-checked before the first write.
local bad = rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash')
if bad then return redis.error_reply(bad) end
local ids = ARGV
if #ARGV == 1 and ARGV[1] == '*' then
  ids = redis.call('ZRANGE', KEYS[1], 0, -1)
end
local n = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', KEYS[1], id) == 1 then
    redis.call('HDEL', KEYS[2], id .. ':payload', id .. ':error', id .. ':attempts',
      id .. ':created_at', id .. ':consumer')
    n = n + 1
  end
end
return n
