-- epoch.lua: make sure a FastSet has an epoch, and read it with the version; the first step of a load.
--
-- KEYS[1] = <key>:value (unused, same slot), KEYS[2] = <key>:version, KEYS[3] = <key>:log (unused),
-- KEYS[4] = <key>:epoch (see change.lua)
-- ARGV: none
--
-- Reply: {version, epoch}
-- The epoch is created from the server TIME when missing (a new set, or one written only by Python, or
-- data that was reset), so the loaded cache is tied to this incarnation of the set from the start and
-- the first write does not make every instance reload.
--
-- Atomic: the check, the SET and the GETs in one script, so the version and epoch returned belong together.
-- check_keys() (changelog_lib.lua) runs before the SET: a key of another type changes nothing.
local bad = check_keys()
if bad then return redis.error_reply(bad) end
local epoch = ensure_epoch()
return {tonumber(redis.call('GET', KEYS[2]) or '0'), epoch}
