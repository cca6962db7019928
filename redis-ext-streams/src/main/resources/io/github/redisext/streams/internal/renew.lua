-- renew.lua: extends the leases of the entries this consumer is still running: each one whose
-- pending-list owner is still this consumer is re-claimed to itself with XCLAIM ... JUSTID, which
-- resets its idle time without counting a delivery. An entry another consumer took over is never
-- claimed back: its index is returned, and its former holder does not settle it.
-- KEYS[1] the stream
-- ARGV[1] group, ARGV[2] this consumer, ARGV[3] and ARGV[4] the least and the greatest of the
-- ids, ARGV[5..] entry ids
-- Reply: the 1-based positions (within ARGV[5..]) of entries no longer owned by this consumer
-- Atomic: owners are read (ids_lib.lua's owned_by) before the first write; the key type is checked first.
local bad = rx_wrong_type(KEYS[1], 'stream')
if bad then return redis.error_reply(bad) end
local unpack = table.unpack or unpack
local lost = {}
local mine = {}
local ids = {}
for i = 5, #ARGV do
  ids[#ids + 1] = ARGV[i]
end
local owned = owned_by(KEYS[1], ARGV[1], ARGV[2], ids, ARGV[3], ARGV[4])
for i = 5, #ARGV do
  if owned[ARGV[i]] then
    mine[#mine + 1] = ARGV[i]
  else
    lost[#lost + 1] = i - 4
  end
end
for from = 1, #mine, 500 do
  local to = math.min(#mine, from + 499)
  local args = {KEYS[1], ARGV[1], ARGV[2], 0}
  for k = from, to do
    args[#args + 1] = mine[k]
  end
  args[#args + 1] = 'JUSTID'
  redis.call('XCLAIM', unpack(args))
end
return lost
