-- family_lib.lua: shared by every debounce script (prepended after core's core_lib.lua by
-- LuaScript.fromResources). Every script takes the whole key family as KEYS, in this order:
--   KEYS[1] tasks ZSET (member = task JSON, score = due time, epoch seconds)
--   KEYS[2] first-add HASH (member -> epoch seconds of the first add; DEBOUNCE + maxWait only)
--   KEYS[3] processing ZSET (leased member -> lease deadline, epoch seconds)
--   KEYS[4] leases HASH (leased member -> owner token)
--   KEYS[5] attempts HASH (member -> failed deliveries)
--   KEYS[6] dead-letter HASH (raw member -> error)
--   KEYS[7] dead-letter info HASH (member -> 'attempts epochSeconds')
-- family_wrong_type() -> nil, or the error text (core_lib's rx_wrong_type) naming the first key of
-- the family that holds another type. Every script calls it before anything else and returns the
-- error when there is one, so a script either runs whole or changes nothing (Redis does not roll
-- a script back when a later command fails). The whole family is checked, not only the keys a
-- script writes: a corrupted key is reported by every operation, at once, with its name.
local function family_wrong_type()
  return rx_wrong_type(KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'zset', KEYS[4], 'hash',
    KEYS[5], 'hash', KEYS[6], 'hash', KEYS[7], 'hash')
end
-- lease_held(member, token, now) -> whether `token` holds `member`'s lease ([4] leases HASH) and
-- the lease has not run out ([3] processing ZSET deadline > now, server seconds). A lease past its
-- deadline is lost even before a pop/claim puts it back: its holder can no longer ack, retry,
-- renew, dead-letter or give it back, so who settles an expired task never depends on a race.
local function lease_held(m, token, now)
  if redis.call('HGET', KEYS[4], m) ~= token then return false end
  local d = redis.call('ZSCORE', KEYS[3], m)
  return (d and tonumber(d) > now) and true or false
end
-- drop_lease(member): removes its lease ([3] processing deadline, [4] owner token).
local function drop_lease(m)
  redis.call('ZREM', KEYS[3], m)
  redis.call('HDEL', KEYS[4], m)
end
-- due_by(member, due, dueS) -> whether it was scheduled: the task becomes due at `due` (dueS, the
-- same time as a string) unless it is already due earlier (a re-added copy's earlier time wins).
local function due_by(m, due, dueS)
  local s = redis.call('ZSCORE', KEYS[1], m)
  if (not s) or tonumber(s) > due then
    redis.call('ZADD', KEYS[1], dueS, m)
    return true
  end
  return false
end
