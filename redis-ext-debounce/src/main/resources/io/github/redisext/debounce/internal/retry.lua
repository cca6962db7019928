-- retry.lua: handlers failed with attempts left: each claimed task counts the failed attempt and
-- goes back to the tasks, due after its retry delay (computed by the consumer from the attempt:
-- retryBackoff). The consumer sends the last attempt to dead_letter.lua instead.
-- KEYS: the family (family_lib.lua); writes [1] tasks ZSET, [3] processing ZSET, [4] leases HASH,
-- [5] attempts HASH (member -> failed deliveries).
-- ARGV[1] wake-up channel or '', then triples ARGV[3k-1] owner token, ARGV[3k] the member,
-- ARGV[3k+1] retry delay in microseconds
-- Reply: {requeued, stale}: stale counts tasks whose lease was no longer ours (lease_held:
-- expired or taken back; nothing changed for them).
-- Atomic: each owner check, count, lease removal and re-add is one step, the whole batch one
-- script. When the same task was added again meanwhile, the earlier due time is kept. The key
-- types are checked first, so nothing can fail after the first write; one command per member.
-- One wake-up is published for the batch (the earliest new due time) when the channel is given.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local requeued = 0
local stale = 0
local earliest = nil
for i = 2, #ARGV, 3 do
  local m = ARGV[i + 1]
  if lease_held(m, ARGV[i], now) then
    drop_lease(m)
    -- not HINCRBY: it fails on a count that is not an integer, after the writes above
    local n = (tonumber(redis.call('HGET', KEYS[5], m)) or 0) + 1
    redis.call('HSET', KEYS[5], m, tostring(n))
    local due = now + tonumber(ARGV[i + 2]) / 1000000
    if due_by(m, due, string.format('%.6f', due)) then
      if (not earliest) or due < earliest then earliest = due end
    end
    requeued = requeued + 1
  else
    stale = stale + 1
  end
end
if earliest and ARGV[1] ~= '' then
  redis.call('PUBLISH', ARGV[1], string.format('%.6f', earliest))
end
return {requeued, stale}
