-- ack.lua: a consumer finished claimed tasks: drop their leases and attempt counts (group commit:
-- one call for a whole batch of settlements).
-- KEYS: the family (family_lib.lua); writes [3] processing ZSET, [4] leases HASH, [5] attempts
-- HASH.
-- ARGV: pairs ARGV[2k-1] owner token, ARGV[2k] the member
-- Reply: the number of leases that were no longer ours (expired: past their deadline, or already
-- put back or handed to someone else, whose lease and attempt count are left alone); those
-- changed nothing (the rule of family_lib.lua's lease_held).
-- Atomic: the owner checks and removals are one script for the whole batch; the key types are
-- checked first, so nothing can fail after the first write. Owners are read with one HMGET per
-- 1,000 members and the removals go in chunks (rx_chunked): no unpack of an unbounded table. The
-- deadlines are read with one ZSCORE per owned member, not ZMSCORE: jedis-mock's ZMSCORE rounds
-- scores to whole seconds, which would misjudge short leases there.
local bad = family_wrong_type()
if bad then return redis.error_reply(bad) end
local unpack = table.unpack or unpack
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local members = {}
local tokens = {}
for i = 1, #ARGV, 2 do
  tokens[#tokens + 1] = ARGV[i]
  members[#members + 1] = ARGV[i + 1]
end
local n = #members
local done = {}
for from = 1, n, 1000 do
  local to = math.min(n, from + 999)
  local owners = redis.call('HMGET', KEYS[4], unpack(members, from, to))
  for k = from, to do
    if owners[k - from + 1] == tokens[k] then
      local d = redis.call('ZSCORE', KEYS[3], members[k])
      if d and tonumber(d) > now then
        done[#done + 1] = members[k]
      end
    end
  end
end
if #done > 0 then
  rx_chunked('ZREM', KEYS[3], done)
  rx_chunked('HDEL', KEYS[4], done)
  if redis.call('EXISTS', KEYS[5]) == 1 then
    rx_chunked('HDEL', KEYS[5], done)
  end
end
return n - #done
