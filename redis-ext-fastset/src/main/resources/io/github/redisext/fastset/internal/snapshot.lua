-- snapshot.lua: every member of a FastSet together with its version, in one step.
--
-- KEYS[1] = <key>:value, KEYS[2] = <key>:version, KEYS[3] = <key>:log (unused, same slot),
-- KEYS[4] = <key>:epoch
-- ARGV: none
--
-- Reply: {version, epoch ('' when none), member, member, ...}
-- Only the fallback of a reload: normally members are read with SSCAN in batches and made consistent
-- with the log; when writers that do not log (Python) keep changing the set during the scan, this
-- reads it atomically instead (one SMEMBERS: blocks the server for the size of the set).
-- check_keys() (changelog_lib.lua) first, so a key of another type is a typed error naming it.
local bad = check_keys()
if bad then return redis.error_reply(bad) end
local reply = {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('GET', KEYS[4]) or ''}
local members = redis.call('SMEMBERS', KEYS[1])
for i = 1, #members do reply[#reply + 1] = members[i] end
return reply
