-- claim.lua: hands a subscription its next batches of events (a batch = a contiguous id range).
-- KEYS[1] subscription state (hash), KEYS[2] leases (zset: batch start id -> due/lease-until ms),
-- KEYS[3] batches (hash: '<from>:to', ':att', ':tok', ':err', ':redo'), KEYS[4] counter (string),
-- KEYS[5] index (zset), KEYS[6] epoch (string), KEYS[7] dead data (hash)
-- ARGV[1] event key prefix, ARGV[2] most batches, ARGV[3] batch size, ARGV[4] lease ms,
-- ARGV[5] lease token, ARGV[6] '1' = ordered (batches in id order, only to one consumer at a time),
-- ARGV[7] grace ms before a missing event counts as missed, ARGV[8] consumer id,
-- ARGV[9] ordered: most batches in flight at this consumer (handled one after the other)
-- Reply: {'ok'|'gone', next due in ms or -1, reset (0/1), batch...}; a batch is
--   {from, to, attempt, head (1: no lower batch is open), then six values per event}; an event is
--   id, 'h', payload, status, created_at, worker_id; or id, 'r', payload, created_at (a requeued
--   dead letter whose hash expired); or id, 'm' (missed: expired before it was read); or id, 'w',
--   type (the key holds another type); shorter ones padded with '' to six.
-- Atomic: reads everything first (type-checked), then writes; nothing after the first write fails.
-- A counter below the cursor, or an epoch (set when the counter is created) other than the one the
-- subscription saw, means the counter was reset (Redis restarted empty, or the key was deleted):
-- the subscription drops its batches and reads again from id 1.
local prefix, maxb, size, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local token, ordered, grace = ARGV[5], ARGV[6] == '1', tonumber(ARGV[7])
local me, window = ARGV[8], tonumber(ARGV[9])
local bad = rx_wrong_type(KEYS[1], 'hash', KEYS[2], 'zset', KEYS[3], 'hash', KEYS[4], 'string',
  KEYS[5], 'zset', KEYS[6], 'string', KEYS[7], 'hash')
if bad then return redis.error_reply(bad) end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'gone', -1, 0}
end
local now = ev_now_ms()
local counter = tonumber(ev_val(redis.call('GET', KEYS[4])) or '0') or 0
local epoch = ev_val(redis.call('GET', KEYS[6])) or ''
local st = redis.call('HMGET', KEYS[1], 'cursor', 'epoch')
local cursor = tonumber(ev_val(st[1])) or 0
local sepoch = ev_val(st[2]) or ''
local reset = 0
if counter < cursor or (sepoch ~= '' and epoch ~= '' and sepoch ~= epoch) then
  reset = 1
  cursor = 0
end

-- 1. choose (no writes)
local chosen = {}
local next_due = -1
local may_add = true
local in_flight = 0
local lowest = nil
if reset == 0 then
  if ordered then
    -- walk the open batches in id order: in flight here (counted), due (taken), or waiting for a
    -- retry / held by another consumer (nothing after it may be handed out)
    local all = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
    local list = {}
    for i = 1, #all, 2 do
      list[#list + 1] = {tonumber(all[i]), tonumber(all[i + 1]), all[i]}
    end
    table.sort(list, function(x, y) return x[1] < y[1] end)
    if list[1] then
      lowest = list[1][1]
    end
    for _, en in ipairs(list) do
      local lease_of = redis.call('HMGET', KEYS[3], en[3] .. ':tok', en[3] .. ':own')
      if en[2] > now then
        if ev_val(lease_of[1]) and ev_val(lease_of[2]) == me then
          in_flight = in_flight + 1
        else
          may_add = false
          next_due = en[2] - now
          break
        end
      elseif #chosen < maxb and #chosen + in_flight < window then
        chosen[#chosen + 1] = {en[3], false}
      else
        may_add = false
        break
      end
    end
  else
    local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, maxb)
    for _, f in ipairs(due) do
      chosen[#chosen + 1] = {f, false}
    end
  end
end
local new_cursor = cursor
if may_add then
  while #chosen < maxb and new_cursor < counter do
    if ordered and #chosen + in_flight >= window then
      break
    end
    local from = new_cursor + 1
    local to = math.min(counter, new_cursor + size)
    chosen[#chosen + 1] = {tostring(from), tostring(to)}
    new_cursor = to
  end
end
if #chosen == 0 and not ordered then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #first > 0 then
    next_due = math.max(0, tonumber(first[2]) - now)
  end
end

-- 2. read the events (no writes). A missing event in a new batch may be expired, or not written
-- yet (Python's eventy increments the counter before it writes the hash): a new batch stops
-- before a missing event that follows an existing one; a batch that starts with missing events
-- delivers them as missed once they are known old (a later event of the batch was indexed more
-- than the grace ago, or the gap was first seen a grace ago), otherwise it waits.
local reply = {'ok', next_due, reset}
local missed = 0
local kept = {}
local gap = nil
local gap_seen = nil
local st2 = redis.call('HMGET', KEYS[1], 'gap_id', 'gap_since')
local old_gap, old_since = ev_val(st2[1]), tonumber(ev_val(st2[2]))
local truncated = false

local function read_event(sid)
  local key = prefix .. sid
  local h = redis.pcall('HMGET', key, 'payload', 'status', 'created_at', 'worker_id')
  if h['err'] then
    return {sid, 'w', rx_type(key)}
  end
  if ev_val(h[1]) or ev_val(h[2]) or ev_val(h[3]) then
    return {sid, 'h', h[1] or '', h[2] or '', h[3] or '', h[4] or ''}
  end
  local r = redis.call('HMGET', KEYS[7], sid .. ':payload', sid .. ':created_at')
  if ev_val(r[1]) then
    return {sid, 'r', r[1], ev_val(r[2]) or ''}
  end
  return nil
end

for _, c in ipairs(chosen) do
  if truncated then
    break
  end
  local from = c[1]
  local to = c[2]
  local att = 1
  local new = to and true or false
  if not new then
    local e = redis.call('HMGET', KEYS[3], from .. ':to', from .. ':att')
    to = ev_val(e[1])
    att = (tonumber(ev_val(e[2])) or 0) + 1
  end
  local events = {}
  for id = tonumber(from), tonumber(to) do
    local sid = tostring(id)
    events[#events + 1] = read_event(sid) or {sid, 'm'}
  end
  local last = #events
  if new then
    local head = 0
    while head < #events and events[head + 1][2] == 'm' do
      head = head + 1
    end
    -- a missing event after an existing one: stop before it
    for i = head + 1, #events do
      if events[i][2] == 'm' then
        last = i - 1
        truncated = true
        break
      end
    end
    if head > 0 then
      local old = false
      if head < #events then
        local sc = redis.call('ZSCORE', KEYS[5], events[head + 1][1])
        if sc and tonumber(sc) * 1000 < now - grace then
          old = true
        end
      end
      if not old and old_gap == from and old_since and now - old_since >= grace then
        old = true
      end
      if not old then
        last = 0
        truncated = true
        gap = from
        if old_gap == from and old_since then
          gap_seen = old_since
        else
          gap_seen = now
        end
        if next_due < 0 or next_due > grace then
          next_due = math.max(1, gap_seen + grace - now)
        end
      else
        missed = missed + head
      end
    end
    if last < #events then
      to = tostring(tonumber(from) + last - 1)
      new_cursor = tonumber(from) - 1 + last
    end
  end
  if last > 0 then
    -- head: nothing below it is open, so every id before it is through (ordered mode)
    local head = 0
    if ordered and #kept == 0 and (not lowest or tonumber(from) <= lowest) then
      head = 1
    end
    -- flat: six values per event (no nested array per event to build, send and parse)
    local b = {tonumber(from), tonumber(to), att, head}
    local nb = 4
    for i = 1, last do
      local e = events[i]
      for k = 1, 6 do
        b[nb + k] = e[k] or ''
      end
      nb = nb + 6
    end
    reply[#reply + 1] = b
    kept[#kept + 1] = {from, new and to or false}
  end
end

-- 3. write
if reset == 1 then
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('HSET', KEYS[1], 'cursor', 0, 'position', 0, 'epoch', epoch)
  redis.call('HINCRBY', KEYS[1], 'resets', 1)
elseif sepoch == '' and epoch ~= '' then
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
reply[2] = next_due
if gap then
  redis.call('HSET', KEYS[1], 'gap_id', gap, 'gap_since', gap_seen)
elseif old_gap then
  redis.call('HDEL', KEYS[1], 'gap_id', 'gap_since')
end
for _, c in ipairs(kept) do
  local from = c[1]
  if c[2] then
    redis.call('HSET', KEYS[3], from .. ':to', c[2], from .. ':att', 1, from .. ':tok', token,
      from .. ':own', me)
  else
    redis.call('HINCRBY', KEYS[3], from .. ':att', 1)
    redis.call('HSET', KEYS[3], from .. ':tok', token, from .. ':own', me)
  end
  redis.call('ZADD', KEYS[2], now + lease, from)
end
if new_cursor ~= cursor then
  redis.call('HSET', KEYS[1], 'cursor', new_cursor)
end
if missed > 0 then
  redis.call('HINCRBY', KEYS[1], 'missed', missed)
end
return reply
