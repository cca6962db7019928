-- events_lib.lua: helpers shared by the events scripts (prepended after core_lib.lua).
--
-- ev_time()        -> sec, usec (numbers) from the server clock (TIME)
-- ev_now_ms()      -> server time in epoch milliseconds
-- ev_iso(sec, usec)-> eventy's created_at: Python datetime.isoformat() of a UTC datetime,
--                     '2026-12-01T19:33:17.454792+00:00', no fraction when usec is 0
-- ev_trim(index, sec, usec, ttl) -> removes index entries created more than ttl seconds before
--                     sec.usec (their events have expired)
-- ev_score(sec, usec) -> the index score as text: epoch seconds with six fraction digits
--                     (sent as text: Lua's own number formatting keeps only 14 digits)

local function ev_time()
  local t = redis.call('TIME')
  return tonumber(t[1]), tonumber(t[2])
end

local function ev_now_ms()
  local sec, usec = ev_time()
  return sec * 1000 + math.floor(usec / 1000)
end

local function ev_iso(sec, usec)
  local days = math.floor(sec / 86400)
  local rem = sec - days * 86400
  -- civil date from days since 1970-01-01 (H. Hinnant's algorithm)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
    - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m
  if mp < 10 then m = mp + 3 else m = mp - 9 end
  if m <= 2 then y = y + 1 end
  local hh = math.floor(rem / 3600)
  local mm = math.floor((rem - hh * 3600) / 60)
  local ss = rem - hh * 3600 - mm * 60
  local s = string.format('%04d-%02d-%02dT%02d:%02d:%02d', y, m, d, hh, mm, ss)
  if usec > 0 then
    s = s .. '.' .. string.format('%06d', usec)
  end
  return s .. '+00:00'
end

local function ev_score(sec, usec)
  return tostring(sec) .. '.' .. string.format('%06d', usec)
end

local function ev_trim(index, sec, usec, ttl)
  return redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. ev_score(sec - ttl, usec))
end

-- ev_val(x) -> x, or nil for a missing value (false in Redis, '' from jedis-mock's HMGET/MGET)
local function ev_val(x)
  if x == false or x == nil or x == '' then
    return nil
  end
  return x
end
