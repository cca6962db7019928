-- requeue_dead.lua: puts dead letters back into the tasks, due now, with a fresh attempt count.
-- KEYS: the family (family_lib.lua); writes [1] tasks ZSET, [6] dead-letter HASH (member ->
-- error), [7] dead-letter info HASH.
-- ARGV[1] wake-up channel or '', ARGV[2..] the raw members to requeue (none: every dead letter)
-- Reply: the number of dead letters requeued (members that were not dead letters are skipped).
-- Atomic: each member leaves the dead letters and enters the tasks in one step; a task already
-- waiting keeps the earlier due time. The key types are checked first, so nothing can fail after
-- the first write; every command names one member (no argument list grows with the batch).
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nowS = string.format('%.6f', now)
local members = {}
if #ARGV > 1 then
  for i = 2, #ARGV do members[#members + 1] = ARGV[i] end
else
  members = redis.call('HKEYS', KEYS[6])
end
local before = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local n = 0
for _, m in ipairs(members) do
  if redis.call('HDEL', KEYS[6], m) == 1 then
    redis.call('HDEL', KEYS[7], m)
    due_by(m, now, nowS)
    n = n + 1
  end
end
if n > 0 and ARGV[1] ~= '' and (#before == 0 or tonumber(before[2]) > now) then
  redis.call('PUBLISH', ARGV[1], nowS)
end
return n
