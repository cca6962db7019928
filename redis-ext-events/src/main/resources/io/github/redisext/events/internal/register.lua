-- register.lua: registers (or deregisters) event type names in eventy's queue_types set.
-- KEYS[1] queue_types (set)
-- ARGV[1] 'add' or 'remove', ARGV[2] ttl seconds, ARGV[3..] type names
-- Reply: how many were added or removed. The set's ttl is refreshed on add (eventy's event_ttl).
-- Atomic: the set is type-checked before the first write.
local bad = rx_wrong_type(KEYS[1], 'set')
if bad then return redis.error_reply(bad) end
local names = {}
for i = 3, #ARGV do
  names[#names + 1] = ARGV[i]
end
if ARGV[1] == 'add' then
  local n = rx_chunked('SADD', KEYS[1], names)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
  return n
end
return rx_chunked('SREM', KEYS[1], names)
