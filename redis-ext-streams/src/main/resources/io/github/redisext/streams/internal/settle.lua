-- settle.lua: applies a batch of settlements of one consumer (group commit), each fenced: it is
-- applied only if the entry's pending-list owner is still this consumer; otherwise it is refused
-- (another consumer took the entry over and will settle it) and changes nothing.
-- KEYS[1] the stream, KEYS[2] its dead-letter stream, KEYS[3] its event stream
-- ARGV[1] group, ARGV[2] this consumer, ARGV[3] dead-letter MAXLEN ~ (0: none),
-- ARGV[4] event MAXLEN ~ (0: none), ARGV[5] and ARGV[6] the least and the greatest entry id of
-- the batch, ARGV[7] the number k of plain acks (no events), their ids ARGV[8..7+k], then one
-- record per other settlement:
--   op ('A' ack, 'R' retry / give back, 'D' dead letter), entry id, idle ms (R: the idle time to
--   set, so that the entry is reclaimable after its backoff), n events, event JSON x n,
--   n dead-letter field pairs, field, value x n, stamped pair (0: none), stamp suffix - the
--   value of the stamped pair gets the server time in epoch ms and the suffix appended (the
--   _dlqMetadata timestamp, from the one server clock)
-- Reply: the 1-based numbers refused (entry no longer ours), counting the plain acks first and
-- the records after them
-- Owners come from one XPENDING over the batch's id range filtered to this consumer (ids_lib.lua).
-- Atomic: key types first, then every owner is read (XPENDING) before the first write; a
-- missing group fails at the first XPENDING, before any write. A dead letter's XADD and XACK are
-- in the same script (all three keys share a slot: the stream name carries the hash tag).
local bad = rx_wrong_type(KEYS[1], 'stream', KEYS[2], 'stream', KEYS[3], 'stream')
if bad then return redis.error_reply(bad) end
local unpack = table.unpack or unpack
local argc = #ARGV
local n = 0
local op, id, idle, ev_at, ev_n, f_at, f_n, stamp, suffix = {}, {}, {}, {}, {}, {}, {}, {}, {}
local plain = tonumber(ARGV[7])
for k = 1, plain do
  n = n + 1
  op[n] = 'A'
  id[n] = ARGV[7 + k]
  ev_n[n] = 0
end
local i = 8 + plain
while i <= argc do
  n = n + 1
  op[n] = ARGV[i]
  id[n] = ARGV[i + 1]
  idle[n] = ARGV[i + 2]
  ev_n[n] = tonumber(ARGV[i + 3])
  ev_at[n] = i + 4
  i = i + 4 + ev_n[n]
  f_n[n] = tonumber(ARGV[i])
  f_at[n] = i + 1
  i = i + 1 + 2 * f_n[n]
  stamp[n] = tonumber(ARGV[i])
  suffix[n] = ARGV[i + 1]
  i = i + 2
end
local owned = owned_by(KEYS[1], ARGV[1], ARGV[2], id, ARGV[5], ARGV[6])
local refused = {}
local acks = {}
for k = 1, n do
  if not owned[id[k]] then
    refused[#refused + 1] = k
  elseif op[k] == 'A' then
    acks[#acks + 1] = id[k]
  end
end
local function xadd(key, maxlen, fields)
  local args = {key}
  if maxlen ~= '0' then
    args[#args + 1] = 'MAXLEN'
    args[#args + 1] = '~'
    args[#args + 1] = maxlen
  end
  args[#args + 1] = '*'
  for x = 1, #fields do
    args[#args + 1] = fields[x]
  end
  return redis.call('XADD', unpack(args))
end
for from = 1, #acks, 500 do
  local args = {KEYS[1], ARGV[1]}
  for x = from, math.min(#acks, from + 499) do
    args[#args + 1] = acks[x]
  end
  redis.call('XACK', unpack(args))
end
local now = nil
for k = 1, n do
  if owned[id[k]] then
    if op[k] == 'R' then
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id[k], 'IDLE', idle[k], 'JUSTID')
    elseif op[k] == 'D' then
      local fields = {}
      for x = 1, 2 * f_n[k] do
        fields[x] = ARGV[f_at[k] + x - 1]
      end
      if stamp[k] > 0 then
        if not now then
          local t = redis.call('TIME')
          local ms = tostring(math.floor(tonumber(t[2]) / 1000))
          now = t[1] .. string.rep('0', 3 - #ms) .. ms
        end
        fields[2 * stamp[k]] = fields[2 * stamp[k]] .. now .. suffix[k]
      end
      xadd(KEYS[2], ARGV[3], fields)
      redis.call('XACK', KEYS[1], ARGV[1], id[k])
    end
    for x = 0, ev_n[k] - 1 do
      xadd(KEYS[3], ARGV[4], {'data', ARGV[ev_at[k] + x]})
    end
  end
end
return refused
