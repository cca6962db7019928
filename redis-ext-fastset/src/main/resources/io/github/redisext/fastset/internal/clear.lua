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
-- Atomic: DEL, INCR, log and PUBLISH in one script. All or nothing: check_keys() (changelog_lib.lua)
-- runs before the first write.
local bad = check_keys()
if bad then return redis.error_reply(bad) end
local epoch = ensure_epoch()
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local removed = redis.call('SCARD', KEYS[1])
local version = current
local own = nil
if removed > 0 then
  redis.call('DEL', KEYS[1])
  version = redis.call('INCR', KEYS[2])
  own = string.format('%d', version) .. ' ' .. epoch .. '\n*'
  record_change(own, tonumber(ARGV[2]), ARGV[3])
end
return write_reply(version, removed, epoch, tonumber(ARGV[1]), tonumber(ARGV[2]), own)
