-- rates_add.lua: adds one flush of counts to a primitive's per-minute rates and trims old minutes.
-- KEYS[1] the rates hash (redis-ext:rates:<kind>:<name>)
-- ARGV[1] minutes kept; ARGV[2] processed; ARGV[3] failed
-- Fields: '<epoch minute>:p' and '<epoch minute>:f' (counts), 'trimmed' (every minute up to this
-- one has been deleted). The minute is the server clock's (TIME), so every process agrees.
-- Reply: the minute counted. Atomic: the type check comes before the first write; the trim deletes
-- at most ARGV[1] minutes per call (in chunks): every minute ever counted is at most 'trimmed' +
-- ARGV[1], so that is bounded and still deletes everything older than the cutoff.
local bad = rx_wrong_type(KEYS[1], 'hash')
if bad then
  return redis.error_reply(bad)
end
local keep = tonumber(ARGV[1])
local t = redis.call('TIME')
local minute = math.floor(tonumber(t[1]) / 60)
if tonumber(ARGV[2]) > 0 then
  redis.call('HINCRBY', KEYS[1], minute .. ':p', ARGV[2])
end
if tonumber(ARGV[3]) > 0 then
  redis.call('HINCRBY', KEYS[1], minute .. ':f', ARGV[3])
end
local cutoff = minute - keep
local stored = redis.call('HGET', KEYS[1], 'trimmed')
local trimmed = stored and tonumber(stored) or cutoff
-- every minute counted so far is <= trimmed + keep (counted when its cutoff became trimmed)
local last = math.min(cutoff, trimmed + keep)
if trimmed < last then
  local fields = {}
  for m = trimmed + 1, last do
    fields[#fields + 1] = m .. ':p'
    fields[#fields + 1] = m .. ':f'
  end
  rx_chunked('HDEL', KEYS[1], fields)
end
if not stored or trimmed ~= cutoff then
  redis.call('HSET', KEYS[1], 'trimmed', cutoff)
end
return minute
