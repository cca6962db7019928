-- clear.lua: remove every member of a FastSet, bump its version, log and announce it.
--
-- KEYS[1] = <key>:value, KEYS[2] = <key>:version, KEYS[3] = <key>:log, KEYS[4] = <key>:epoch
-- (see change.lua)
-- ARGV[1] = the caller's cached version, ARGV[2] = log length (0 = none), ARGV[3] = channel ('' = none)
--
-- Reply: {version, removed, epoch, entry, ...} like change.lua; a clear's entry is "<version> <epoch>\n*".
-- Like the Python FastSet it DELetes the value key and INCRs the version (the version key survives);
-- an already empty set is left alone (no version bump).
--
-- Atomic: DEL, INCR, log and PUBLISH in one script.
local epoch = redis.call('GET', KEYS[4])
if not epoch then
  local t = redis.call('TIME')
  epoch = t[1] .. '.' .. t[2]
  redis.call('SET', KEYS[4], epoch)
end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local removed = redis.call('SCARD', KEYS[1])
local version = current
local own = nil
if removed > 0 then
  redis.call('DEL', KEYS[1])
  version = redis.call('INCR', KEYS[2])
  own = string.format('%d', version) .. ' ' .. epoch .. '\n*'
  local keep = tonumber(ARGV[2])
  if keep > 0 then
    redis.call('LPUSH', KEYS[3], own)
    redis.call('LTRIM', KEYS[3], 0, keep - 1)
  end
  if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[3], own) end
end
local reply = {version, removed, epoch}
local want = version - tonumber(ARGV[1])
if want > 0 then
  if tonumber(ARGV[2]) > 0 then
    local entries = redis.call('LRANGE', KEYS[3], 0, want - 1)
    for i = 1, #entries do reply[#reply + 1] = entries[i] end
  elseif own ~= nil then
    reply[4] = own
  end
end
return reply
