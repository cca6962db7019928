-- requeue.lua: moves dead letters back to the stream: each one still in the dead-letter stream is
-- added to the stream (fields as given: the original entry without its _dlqMetadata) and deleted
-- from the dead-letter stream; one already gone (requeued or purged meanwhile) is skipped.
-- KEYS[1] the stream, KEYS[2] its dead-letter stream
-- ARGV: records: dead-letter entry id, n field pairs, field, value x n
-- Reply: the ids of the new stream entries (false where a dead letter was already gone)
-- Atomic: key types checked before the first write; every presence check is a read before the
-- writes of its own record, and nothing after the type check can fail.
local bad = rx_wrong_type(KEYS[1], 'stream', KEYS[2], 'stream')
if bad then return redis.error_reply(bad) end
local unpack = table.unpack or unpack
local out = {}
local i = 1
while i <= #ARGV do
  local id = ARGV[i]
  local nf = tonumber(ARGV[i + 1])
  local fields = {}
  for k = 1, 2 * nf do
    fields[k] = ARGV[i + 1 + k]
  end
  i = i + 2 + 2 * nf
  local present = redis.call('XRANGE', KEYS[2], id, id)
  if present[1] then
    out[#out + 1] = redis.call('XADD', KEYS[1], '*', unpack(fields))
    redis.call('XDEL', KEYS[2], id)
  else
    out[#out + 1] = false
  end
end
return out
