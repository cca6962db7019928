-- changelog_lib.lua: shared by every FastSet script (prepended after core_lib.lua by
-- LuaScript.fromResources). KEYS as in those scripts: [1] <key>:value, [2] <key>:version,
-- [3] <key>:log, [4] <key>:epoch. Runs inside the caller's script, so every step is atomic with it.

-- Nil when every key of the set is missing or holds what FastSet keeps there (value a SET, version
-- a STRING holding a decimal integer, log a LIST, epoch a STRING); else the error text. A script
-- calls it before its first command that could fail or write: Redis keeps a script's earlier
-- writes when a later command fails, so checking first makes every script all-or-nothing.
--   'WRONGTYPE redis-ext: ...' (core_lib.lua's rx_wrong_type) -> WrongTypeException naming the key
--   'ERR redis-ext FastSet: ...' the version key holds no integer (INCR would fail after the SADDs)
local function check_keys()
  local bad = rx_wrong_type(KEYS[1], 'set', KEYS[2], 'string', KEYS[3], 'list', KEYS[4], 'string')
  if bad then
    return bad
  end
  local v = redis.call('GET', KEYS[2])
  if v and (#v > 18 or not string.match(v, '^%-?%d+$')) then
    return 'ERR redis-ext FastSet: key ' .. KEYS[2] .. ' holds ' .. v
      .. ', not a decimal integer version; nothing was changed (fix or delete the key)'
  end
  return nil
end

-- The epoch naming this incarnation of the set; created from the server TIME when missing.
local function ensure_epoch()
  local epoch = redis.call('GET', KEYS[4])
  if not epoch then
    local t = redis.call('TIME')
    epoch = t[1] .. '.' .. t[2]
    redis.call('SET', KEYS[4], epoch)
  end
  return epoch
end

-- Logs a change entry (keeping the newest `keep`, 0 = no log) and publishes it on `channel`
-- ('' = no publish).
local function record_change(entry, keep, channel)
  if keep > 0 then
    redis.call('LPUSH', KEYS[3], entry)
    redis.call('LTRIM', KEYS[3], 0, keep - 1)
  end
  if channel ~= '' then redis.call('PUBLISH', channel, entry) end
end

-- The reply of a write: {version, count, epoch, entries the caller (at version `since`) has not
-- seen, newest first}; without a log only this write's own entry `own` (nil when nothing changed).
local function write_reply(version, count, epoch, since, keep, own)
  local reply = {version, count, epoch}
  local want = version - since
  if want > 0 then
    if keep > 0 then
      local entries = redis.call('LRANGE', KEYS[3], 0, want - 1)
      for i = 1, #entries do reply[#reply + 1] = entries[i] end
    elseif own ~= nil then
      reply[4] = own
    end
  end
  return reply
end
