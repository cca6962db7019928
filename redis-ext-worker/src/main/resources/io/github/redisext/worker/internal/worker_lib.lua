-- worker_lib.lua: helpers shared by the worker's scripts (prepended after core_lib.lua).
--
-- wk_now() -> the server time in ms (TIME).
-- wk_utf8_ok(s) -> whether s is well-formed UTF-8 (what Java's decoder accepts: no overlong forms,
--   no surrogates, nothing above U+10FFFF). An ASCII-only string is checked with one find.
-- wk_dead_entry(id, attempts, now, worker, error, payload) -> the dead-letter JSON entry:
--   {"id":..,"attempts":..,"failedAt":..,"worker":..,"error":..,"payload":"<raw text>"}; a payload
--   that is not UTF-8 is kept byte for byte as "payloadHex":"<lowercase hex>" instead of "payload",
--   so the entry itself stays valid UTF-8 JSON that any client reads and matches exactly.
local function wk_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function wk_utf8_ok(s)
  if not string.find(s, '[\128-\255]') then
    return true
  end
  local i, n = 1, #s
  while i <= n do
    local c = string.byte(s, i)
    if c < 128 then
      i = i + 1
    else
      local len, lo, hi
      if c >= 194 and c <= 223 then len, lo, hi = 2, 128, 191
      elseif c == 224 then len, lo, hi = 3, 160, 191
      elseif c == 237 then len, lo, hi = 3, 128, 159
      elseif c >= 225 and c <= 239 then len, lo, hi = 3, 128, 191
      elseif c == 240 then len, lo, hi = 4, 144, 191
      elseif c >= 241 and c <= 243 then len, lo, hi = 4, 128, 191
      elseif c == 244 then len, lo, hi = 4, 128, 143
      else return false end
      if i + len - 1 > n then
        return false
      end
      local c2 = string.byte(s, i + 1)
      if c2 < lo or c2 > hi then
        return false
      end
      for j = i + 2, i + len - 1 do
        local cj = string.byte(s, j)
        if cj < 128 or cj > 191 then
          return false
        end
      end
      i = i + len
    end
  end
  return true
end

local function wk_hex(s)
  local t = {}
  for i = 1, #s do
    t[i] = string.format('%02x', string.byte(s, i))
  end
  return table.concat(t)
end

local function wk_dead_entry(id, att, now, worker, err, payload)
  local body
  if wk_utf8_ok(payload) then
    body = ',"payload":' .. cjson.encode(payload)
  else
    body = ',"payloadHex":"' .. wk_hex(payload) .. '"'
  end
  return '{"id":' .. cjson.encode(id) .. ',"attempts":' .. att
    .. ',"failedAt":' .. string.format('%d', math.floor(now / 1000)) .. string.format('%03d', now % 1000)
    .. ',"worker":' .. cjson.encode(worker) .. ',"error":' .. cjson.encode(err) .. body .. '}'
end
