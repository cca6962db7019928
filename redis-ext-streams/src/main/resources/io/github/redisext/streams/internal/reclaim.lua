-- reclaim.lua: takes over the group's entries idle longer than the reclaim threshold (their holder
-- crashed, stalled past its lease, or failed them and their retry backoff ran out), following the
-- XAUTOCLAIM cursor across calls so a long pending list never starves entries further on, and
-- reads each taken entry's delivery count.
-- KEYS[1] the stream
-- ARGV[1] group, ARGV[2] this consumer, ARGV[3] min idle (ms), ARGV[4] cursor, ARGV[5] count
-- Reply: {next cursor, pending entries of the group, {id, deliveries, field, value, ...}, ...}.
--   Entries deleted while pending (trimmed) are dropped from the pending list by Redis 7 (its
--   third reply element) and come back as nil on 6.2; neither is returned.
-- Atomic: one XAUTOCLAIM and read-only XPENDINGs; the key type is checked before the claim (the
-- only write). A missing group fails with NOGROUP before any write; the caller re-creates it.
local bad = rx_wrong_type(KEYS[1], 'stream')
if bad then return redis.error_reply(bad) end
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local out = {r[1], 0}
for _, e in ipairs(r[2]) do
  if e and e[2] then
    local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
    local deliveries = 1
    if p[1] then
      deliveries = p[1][4]
    end
    local item = {e[1], deliveries}
    for i = 1, #e[2] do
      item[#item + 1] = e[2][i]
    end
    out[#out + 1] = item
  end
end
local summary = redis.call('XPENDING', KEYS[1], ARGV[1])
out[2] = summary[1]
return out
