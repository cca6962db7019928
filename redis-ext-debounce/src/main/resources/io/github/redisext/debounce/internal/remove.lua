-- remove.lua: removes waiting tasks (not ones a consumer is handling).
-- KEYS[1] tasks ZSET, KEYS[2] first-add HASH, KEYS[3] attempts HASH (member -> failed deliveries)
-- ARGV[1..] the members
-- Reply: the number removed.
-- Atomic: the task, its first-add time and its attempt count go together.
local unpack = table.unpack or unpack
local n = 0
local hasAttempts = redis.call('EXISTS', KEYS[3]) == 1
for i = 1, #ARGV, 500 do
  local j = math.min(i + 499, #ARGV)
  n = n + redis.call('ZREM', KEYS[1], unpack(ARGV, i, j))
  redis.call('HDEL', KEYS[2], unpack(ARGV, i, j))
  if hasAttempts then redis.call('HDEL', KEYS[3], unpack(ARGV, i, j)) end
end
return n
