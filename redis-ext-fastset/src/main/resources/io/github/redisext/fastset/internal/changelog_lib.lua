-- changelog_lib.lua: shared by change.lua, clear.lua and epoch.lua (prepended by
-- LuaScript.fromResources). KEYS as in those scripts: [2] <key>:version, [3] <key>:log,
-- [4] <key>:epoch. Runs inside the caller's script, so every step is atomic with it.

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
