-- dead_letter.lua: moves a member that cannot be decoded aside, with its raw text and the error.
-- KEYS[1] processing ZSET, KEYS[2] leases HASH, KEYS[3] dead-letter HASH (raw member -> error)
-- ARGV[1] owner token ('' when the member was popped without a lease), ARGV[2] the raw member,
-- ARGV[3] the error text
-- Reply: 1 when stored, 0 when a leased member was no longer ours (its owner deals with it).
-- Atomic: the lease is dropped and the dead letter written in one step, so the member is always
-- in exactly one place.
if ARGV[1] ~= '' then
  if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then
    return 0
  end
  redis.call('ZREM', KEYS[1], ARGV[2])
  redis.call('HDEL', KEYS[2], ARGV[2])
end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return 1
