-- dead_letter.lua: moves members aside with their raw text and error: tasks whose last attempt
-- failed, and members that cannot be decoded (group commit: one call for a batch).
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, [4] leases HASH, [5] attempts
-- HASH, [6] dead-letter HASH (raw member -> error), [7] dead-letter info HASH (member ->
-- 'attempts epochSeconds').
-- ARGV: quadruples ARGV[4k-3] owner token ('' when the member was popped without a lease),
-- ARGV[4k-2] the raw member, ARGV[4k-1] '1' when this delivery counts as a failed attempt (a
-- handler failed) or '0' (it could not even be decoded), ARGV[4k] the error text
-- Reply: the number stored; a leased member that was no longer ours (lease_held: expired or
-- taken back) is skipped (whoever puts it back deals with it).
-- Atomic: each lease is dropped and its dead letter written in one step, so the member is always
-- in exactly one place; the key types are checked first, so nothing can fail after the first
-- write; one command per member.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nowS = string.format('%.6f', now)
local stored = 0
for i = 1, #ARGV, 4 do
  local m = ARGV[i + 1]
  local ours = true
  if ARGV[i] ~= '' then
    if lease_held(m, ARGV[i], now) then
      drop_lease(m)
    else
      ours = false
    end
  end
  if ours then
    local n = tonumber(redis.call('HGET', KEYS[5], m)) or 0
    if ARGV[i + 2] == '1' then n = n + 1 end
    redis.call('HDEL', KEYS[5], m)
    redis.call('HSET', KEYS[6], m, ARGV[i + 3])
    redis.call('HSET', KEYS[7], m, tostring(n) .. ' ' .. nowS)
    stored = stored + 1
  end
end
return stored
