-- settle.lua: applies the outcomes of handled batches of one subscription.
-- KEYS[1] subscription state (hash), KEYS[2] leases (zset), KEYS[3] batches (hash),
-- KEYS[4] dead letters (zset: id -> failed-at ms), KEYS[5] dead data (hash: '<id>:payload',
-- ':error', ':attempts', ':created_at', ':consumer')
-- ARGV[1] event key prefix, ARGV[2] '1' = write event statuses, ARGV[3] consumer id,
-- then per settlement 6 values: batch start id, lease token, outcome ('A' ack, 'R' retry,
-- 'D' dead letter), last id handled successfully (start - 1 if none), retry delay ms, error
-- Reply: how many settlements applied (a settlement whose lease token no longer matches was
-- taken over by another consumer and is skipped, so applying one twice does nothing twice).
-- Atomic: every key written is type-checked first (event hashes: status written only to hashes).
-- Handled events get status PROCESSED; a retried batch restarts at its failing event after the
-- delay; a dead-lettered event is copied (raw payload) to the dead letters, status ERROR, and the
-- rest of its batch is due at once. Then the position (every id up to it handled) is recomputed.
local prefix, write_status, consumer = ARGV[1], ARGV[2] == '1', ARGV[3]
local bad = rx_wrong_type(KEYS[1], 'hash', KEYS[2], 'zset', KEYS[3], 'hash', KEYS[4], 'zset',
  KEYS[5], 'hash')
if bad then return redis.error_reply(bad) end
local now = ev_now_ms()
local applied = 0

local function entry(from, to, att, err, redo, due)
  redis.call('HSET', KEYS[3], from .. ':to', to, from .. ':att', att, from .. ':tok', '',
    from .. ':err', err)
  if redo then
    redis.call('HSET', KEYS[3], from .. ':redo', '1')
  end
  redis.call('ZADD', KEYS[2], due, from)
end

for i = 4, #ARGV, 6 do
  local f, tok, outcome = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local done, delay, err = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4]), ARGV[i + 5]
  local e = redis.call('HMGET', KEYS[3], f .. ':to', f .. ':att', f .. ':tok', f .. ':redo')
  if e[3] == tok then
    applied = applied + 1
    local from, to, att, redo = tonumber(f), tonumber(e[1]), tonumber(ev_val(e[2])) or 1, ev_val(e[4])
    if write_status and done >= from then
      -- one EXISTS over the handled ids (in chunks); only when some are gone (expired) is each
      -- checked alone: a status is never written to a key that does not exist
      local keys = {}
      for id = from, done do
        keys[#keys + 1] = prefix .. tostring(id)
      end
      local found = 0
      for k = 1, #keys, 1000 do
        found = found + redis.call('EXISTS', unpack(keys, k, math.min(#keys, k + 999)))
      end
      local all = found == #keys
      for _, key in ipairs(keys) do
        if all or redis.call('EXISTS', key) == 1 then
          redis.pcall('HSET', key, 'status', 'PROCESSED') -- another type: left alone
        end
      end
    end
    if redo then
      for id = from, done do
        local sid = tostring(id)
        redis.call('HDEL', KEYS[5], sid .. ':payload', sid .. ':error', sid .. ':attempts',
          sid .. ':created_at', sid .. ':consumer')
      end
    end
    redis.call('HDEL', KEYS[3], f .. ':to', f .. ':att', f .. ':tok', f .. ':err', f .. ':redo',
      f .. ':own')
    redis.call('ZREM', KEYS[2], f)
    local failing = done + 1
    local fatt = 1
    if failing == from then
      fatt = att
    end
    if outcome == 'R' and failing <= to then
      entry(tostring(failing), to, fatt, err, redo, now + delay)
    elseif outcome == 'D' and failing <= to then
      local sid = tostring(failing)
      local key = prefix .. sid
      local payload, created = false, false
      if rx_type(key) == 'hash' then
        local h = redis.call('HMGET', key, 'payload', 'created_at')
        payload, created = ev_val(h[1]), ev_val(h[2])
        redis.call('HSET', key, 'status', 'ERROR')
      end
      if not payload then
        local r = redis.call('HMGET', KEYS[5], sid .. ':payload', sid .. ':created_at')
        payload, created = ev_val(r[1]), ev_val(r[2])
      end
      redis.call('ZADD', KEYS[4], now, sid)
      redis.call('HSET', KEYS[5], sid .. ':error', err, sid .. ':attempts', fatt,
        sid .. ':consumer', consumer)
      if payload then
        redis.call('HSET', KEYS[5], sid .. ':payload', payload)
      end
      if created then
        redis.call('HSET', KEYS[5], sid .. ':created_at', created)
      end
      if failing < to then
        entry(tostring(failing + 1), to, 0, '', redo, now)
      end
    end
  end
end

if applied > 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  local open = redis.call('ZRANGE', KEYS[2], 0, -1)
  local low
  for _, m in ipairs(open) do
    if not ev_val(redis.call('HGET', KEYS[3], m .. ':redo')) then
      local v = tonumber(m)
      if not low or v < low then
        low = v
      end
    end
  end
  local position = tonumber(ev_val(redis.call('HGET', KEYS[1], 'cursor'))) or 0
  if low then
    position = low - 1
  end
  redis.call('HSET', KEYS[1], 'position', position)
end
return applied
