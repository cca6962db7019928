-- dead_letter.lua: moves a member that cannot be decoded aside, with its raw text and the error.
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, [4] leases HASH, [5] attempts
-- HASH, [6] dead-letter HASH (raw member -> error), [7] dead-letter info HASH (member ->
-- 'attempts epochSeconds').
-- ARGV[1] owner token ('' when the member was popped without a lease), ARGV[2] the raw member,
-- ARGV[3] the error text
-- Reply: 1 when stored, 0 when a leased member was no longer ours (its owner deals with it).
-- Atomic: the lease is dropped and the dead letter written in one step, so the member is always
-- in exactly one place; the key types are checked first, so nothing can fail after the first
-- write.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
if ARGV[1] ~= '' then
  if redis.call('HGET', KEYS[4], ARGV[2]) ~= ARGV[1] then
    return 0
  end
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('HDEL', KEYS[4], ARGV[2])
end
local t = redis.call('TIME')
local nowS = string.format('%.6f', tonumber(t[1]) + tonumber(t[2]) / 1000000)
local n = redis.call('HGET', KEYS[5], ARGV[2])
if not n then n = '0' end
redis.call('HDEL', KEYS[5], ARGV[2])
redis.call('HSET', KEYS[6], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[7], ARGV[2], n .. ' ' .. nowS)
return 1
