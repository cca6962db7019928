-- requeue_dead.lua: put dead letters back on the queue.
-- KEYS[1] dead-letter list, KEYS[2] queue list
-- ARGV pairs: entry text (exactly as stored), payload to push (raw bytes, exactly as queued)
-- Reply: number of entries requeued (an entry already gone, e.g. requeued by someone else, is skipped).
-- Atomic: both key types are checked before the first write, so a wrong-type key fails the call
--   with nothing changed; removing the entry and pushing its payload happen together, so a dead
--   letter is requeued at most once and never lost.
local bad = rx_wrong_type(KEYS[1], 'list', KEYS[2], 'list')
if bad then return redis.error_reply(bad) end
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) == 1 then
    redis.call('RPUSH', KEYS[2], ARGV[i + 1])
    n = n + 1
  end
end
return n
