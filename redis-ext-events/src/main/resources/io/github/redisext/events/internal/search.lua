-- search.lua: one page of live events, newest first (eventy's order).
-- KEYS[1] index (zset)
-- ARGV[1] event ttl seconds, ARGV[2] min score, ARGV[3] max score, ARGV[4] status ('' = any),
-- ARGV[5] offset (matching events to skip), ARGV[6] limit, ARGV[7] before id (0 = none: only
-- events with a smaller id, the stable id cursor), ARGV[8] event key prefix
-- Reply: {1 if more match after this page else 0, {field, value, ...} per event}
-- Only events whose hash exists (and has the status) count, so pages are exact across expiry.
-- Atomic: the index is type-checked before its one write (the trim of expired entries).
local bad = rx_wrong_type(KEYS[1], 'zset')
if bad then return redis.error_reply(bad) end
local sec, usec = ev_time()
ev_trim(KEYS[1], sec, usec, tonumber(ARGV[1]))
local status, skip, limit = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local before = tonumber(ARGV[7])
local max = ARGV[3]
if before > 0 then
  local sc = redis.call('ZSCORE', KEYS[1], ARGV[7])
  if sc then
    local m = tonumber(max)
    if not m or tonumber(sc) < m then
      max = sc
    end
  end
end
local out = {0}
local full = false

-- one event id: counted when it exists and matches; false once the page is full
local function consider(id)
  if before > 0 and tonumber(id) >= before then
    return true
  end
  local key = ARGV[8] .. id
  if rx_type(key) ~= 'hash' then
    return true
  end
  local h = redis.call('HGETALL', key)
  if status ~= '' then
    local ok = false
    for j = 1, #h, 2 do
      if h[j] == 'status' and h[j + 1] == status then
        ok = true
      end
    end
    if not ok then
      return true
    end
  end
  if skip > 0 then
    skip = skip - 1
  elseif #out - 1 < limit then
    out[#out + 1] = h
  else
    out[1] = 1
    return false
  end
  return true
end

-- events published by one script share a score: within a score, newest = highest id
local group, group_score = {}, nil
local function flush()
  table.sort(group, function(x, y) return tonumber(x) > tonumber(y) end)
  for _, id in ipairs(group) do
    if not consider(id) then
      return false
    end
  end
  group = {}
  return true
end

local off = 0
while not full do
  local r = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, ARGV[2], 'WITHSCORES', 'LIMIT', off, 500)
  for i = 1, #r, 2 do
    if r[i + 1] ~= group_score then
      if not flush() then
        full = true
        break
      end
      group_score = r[i + 1]
    end
    group[#group + 1] = r[i]
  end
  if not full and #r < 1000 then
    flush()
    break
  end
  off = off + 500
end
return out
