-- settle.lua: applies a batch of settlements of one consumer (group commit), each fenced: it is
-- applied only if the entry's pending-list owner is still this consumer; otherwise it is refused
-- (another consumer took the entry over and will settle it) and changes nothing.
-- KEYS[1] the stream, KEYS[2] its dead-letter stream, KEYS[3] its event stream
-- ARGV[1] group, ARGV[2] this consumer, ARGV[3] dead-letter MAXLEN ~ (0: none),
-- ARGV[4] event MAXLEN ~ (0: none), then one record per settlement:
--   op ('A' ack, 'R' retry / give back, 'D' dead letter), entry id, idle ms (R: the idle time to
--   set, so that the entry is reclaimable after its backoff), n events, event JSON x n,
--   n dead-letter field pairs, field, value x n, stamped pair (0: none), stamp suffix - the
--   value of the stamped pair gets the server time in epoch ms and the suffix appended (the
--   _dlqMetadata timestamp, from the one server clock)
-- Reply: the 1-based record numbers refused (entry no longer ours)
-- Owners come from one XPENDING over the batch's id range filtered to this consumer (ids_lib.lua).
-- Atomic: key types first, then every owner is read (XPENDING) before the first write; a
-- missing group fails at the first XPENDING, before any write. A dead letter's XADD and XACK are
-- in the same script (all three keys share a slot: the stream name carries the hash tag).
local bad = rx_wrong_type(KEYS[1], 'stream', KEYS[2], 'stream', KEYS[3], 'stream')
if bad then return redis.error_reply(bad) end
local unpack = table.unpack or unpack
local recs = {}
local i = 5
while i <= #ARGV do
  local r = {op = ARGV[i], id = ARGV[i + 1], idle = ARGV[i + 2]}
  local ne = tonumber(ARGV[i + 3])
  r.events = {}
  for k = 1, ne do
    r.events[k] = ARGV[i + 3 + k]
  end
  i = i + 4 + ne
  local nf = tonumber(ARGV[i])
  r.fields = {}
  for k = 1, 2 * nf do
    r.fields[k] = ARGV[i + k]
  end
  i = i + 1 + 2 * nf
  r.stamp = tonumber(ARGV[i])
  r.suffix = ARGV[i + 1]
  i = i + 2
  recs[#recs + 1] = r
end
local refused = {}
local ids = {}
for n, r in ipairs(recs) do
  ids[n] = r.id
end
local owned = owned_by(KEYS[1], ARGV[1], ARGV[2], ids)
for n, r in ipairs(recs) do
  r.ok = owned[r.id] == true
  if not r.ok then
    refused[#refused + 1] = n
  end
end
local now = nil
local function xadd(key, maxlen, fields)
  local args = {key}
  if maxlen ~= '0' then
    args[#args + 1] = 'MAXLEN'
    args[#args + 1] = '~'
    args[#args + 1] = maxlen
  end
  args[#args + 1] = '*'
  for k = 1, #fields do
    args[#args + 1] = fields[k]
  end
  return redis.call('XADD', unpack(args))
end
local acks = {}
for _, r in ipairs(recs) do
  if r.ok and r.op == 'A' then
    acks[#acks + 1] = r.id
  end
end
for from = 1, #acks, 500 do
  local args = {KEYS[1], ARGV[1]}
  for k = from, math.min(#acks, from + 499) do
    args[#args + 1] = acks[k]
  end
  redis.call('XACK', unpack(args))
end
for _, r in ipairs(recs) do
  if r.ok then
    if r.op == 'A' then
      -- acked above, in chunks
    elseif r.op == 'R' then
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, r.id, 'IDLE', r.idle, 'JUSTID')
    else
      if r.op == 'D' then
        if r.stamp > 0 then
          if not now then
            local t = redis.call('TIME')
            local ms = tostring(math.floor(tonumber(t[2]) / 1000))
            now = t[1] .. string.rep('0', 3 - #ms) .. ms
          end
          r.fields[2 * r.stamp] = r.fields[2 * r.stamp] .. now .. r.suffix
        end
        xadd(KEYS[2], ARGV[3], r.fields)
      end
      redis.call('XACK', KEYS[1], ARGV[1], r.id)
    end
    for _, e in ipairs(r.events) do
      xadd(KEYS[3], ARGV[4], {'data', e})
    end
  end
end
return refused
