-- changes.lua: the current version of a FastSet and the log entries after a given version.
--
-- KEYS[1] = <key>:value (unused, keeps all the keys in the call's slot), KEYS[2] = <key>:version,
-- KEYS[3] = <key>:log, KEYS[4] = <key>:epoch (see change.lua)
-- ARGV[1] = the caller's cached version, ARGV[2] = the most entries to return (0 = just the version)
--
-- Reply: {version, epoch ('' when none), entry, entry, ...}: the entries for versions after ARGV[1],
-- newest first, as far as the log holds them (the caller checks they are contiguous; a gap, e.g. a
-- Python writer that does not log, means a full reload). A version below ARGV[1], or another epoch than the caller's, means the data
-- was reset (e.g. Redis restarted without persistence).
--
-- Atomic: GETs and LRANGE in one script, so the entries match the version returned.
-- check_keys() (changelog_lib.lua) first, so a key of another type is a typed error naming it.
local bad = check_keys()
if bad then return redis.error_reply(bad) end
local version = tonumber(redis.call('GET', KEYS[2]) or '0')
local reply = {version, redis.call('GET', KEYS[4]) or ''}
local want = math.min(version - tonumber(ARGV[1]), tonumber(ARGV[2]))
if want > 0 then
  local entries = redis.call('LRANGE', KEYS[3], 0, want - 1)
  for i = 1, #entries do reply[#reply + 1] = entries[i] end
end
return reply
