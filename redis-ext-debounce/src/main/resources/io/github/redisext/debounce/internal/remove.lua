-- remove.lua: removes waiting tasks (not ones a consumer is handling).
-- KEYS[1] tasks ZSET, KEYS[2] first-add HASH
-- ARGV[1..] the members
-- Reply: the number removed.
-- Atomic: the task and its first-add time go together.
local unpack = table.unpack or unpack
local n = 0
for i = 1, #ARGV, 500 do
  local j = math.min(i + 499, #ARGV)
  n = n + redis.call('ZREM', KEYS[1], unpack(ARGV, i, j))
  redis.call('HDEL', KEYS[2], unpack(ARGV, i, j))
end
return n
