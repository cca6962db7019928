-- change.lua: add and/or remove members of a FastSet, bump its version, log and announce the change.
--
-- KEYS[1] = <key>:value    SET of members (J-ascii JSON text, the Python FastSet layout)
-- KEYS[2] = <key>:version  STRING decimal integer, changed only with INCR (missing = 0)
-- KEYS[3] = <key>:log      LIST of recent change entries, newest first (Java-only addition)
-- KEYS[4] = <key>:epoch    STRING naming this incarnation of the set (Java-only addition): created from
--           the server TIME when missing, so after a data reset (FLUSHALL, restart without persistence)
--           entries of the old incarnation are told apart from new ones with the same version
-- ARGV[1] = expected "<version> <epoch>": '' = unconditional; otherwise nothing is changed unless the
--           version key holds exactly this version and the epoch key this epoch (optimistic check of
--           retainAll/removeIf)
-- ARGV[2] = the caller's cached version, to return the entries it has not seen yet
-- ARGV[3] = how many entries the log keeps (0 = no log)
-- ARGV[4] = channel to PUBLISH the entry on ('' = none)
-- ARGV[5] = largest number of members an entry lists; a bigger change is logged as '!' (reload)
-- ARGV[6] = n, the number of members to add; ARGV[7 .. 6+n] members to add, ARGV[7+n ..] to remove
--
-- Reply: {version, changed, epoch, entry, entry, ...}
--   version = the version after the call; changed = members actually added + removed, or -1 when the
--   expected version did not match (then nothing was changed); entries = the log entries for the
--   versions after ARGV[2] up to version, newest first (with no log: just this call's entry).
-- An entry is "<version> <epoch>\n+<member>\n-<member>..." (members never contain a raw newline: they
-- are JSON text).
--
-- Atomic: the set change, the INCR, the log entry and the PUBLISH happen in one script, so no reader
-- ever sees the set changed without the version moving, and entries are published in version order.
-- All or nothing: check_keys() (changelog_lib.lua) checks the type of every key, and that the version
-- is an integer, before the first write; after it no command can fail. Members go one per SADD/SREM
-- call (never unpack()ed into one call), so a change of any size (100,000 members and more) works.
local bad = check_keys()
if bad then return redis.error_reply(bad) end
local epoch = ensure_epoch()
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[1] ~= '' and ARGV[1] ~= string.format('%d', current) .. ' ' .. epoch then
  local reply = {current, -1, epoch}
  local want = current - tonumber(ARGV[2])
  if want > 0 and tonumber(ARGV[3]) > 0 then
    local entries = redis.call('LRANGE', KEYS[3], 0, want - 1)
    for i = 1, #entries do reply[#reply + 1] = entries[i] end
  end
  return reply
end
local n = tonumber(ARGV[6])
local lines = {}
for i = 7, 6 + n do
  if redis.call('SADD', KEYS[1], ARGV[i]) == 1 then lines[#lines + 1] = '+' .. ARGV[i] end
end
for i = 7 + n, #ARGV do
  if redis.call('SREM', KEYS[1], ARGV[i]) == 1 then lines[#lines + 1] = '-' .. ARGV[i] end
end
local changed = #lines
local version = current
local own = nil
if changed > 0 then
  version = redis.call('INCR', KEYS[2])
  if changed > tonumber(ARGV[5]) then
    own = string.format('%d', version) .. ' ' .. epoch .. '\n!'
  else
    own = string.format('%d', version) .. ' ' .. epoch .. '\n' .. table.concat(lines, '\n')
  end
  record_change(own, tonumber(ARGV[3]), ARGV[4])
end
return write_reply(version, changed, epoch, tonumber(ARGV[2]), tonumber(ARGV[3]), own)
