-- locate.lua: say where a task went that a worker wanted to settle but no longer held.
-- KEYS[1] delayed zset, KEYS[2] dead-letter list, KEYS[3..] the in-flight hashes of the other
--   registered workers (the caller reads the workers zset first and declares each hash here)
-- ARGV[1] task id, ARGV[2..] the ids of those workers, in the order of KEYS[3..]
-- Reply: {code, detail}: 3 = in-flight at another worker (detail: its id; this worker's lease had
--   expired, the task was recovered and fetched again), 4 = it waits in the delayed set
--   (recovered, or this worker's earlier settle call succeeded and only its reply was lost),
--   5 = it is among the last 1,000 dead letters, 0 = it is in no key (acknowledged, purged, or
--   its keys were deleted).
-- Read-only, for a log line: a key of another type is skipped, not an error. A worker that
--   registers between the caller's read of the workers zset and this call is not searched (the
--   answer is then 0 or 4: only the log line is less precise).
local id = ARGV[1]
for i = 3, #KEYS do
  if rx_wrong_type(KEYS[i], 'hash') == nil and redis.call('HEXISTS', KEYS[i], id) == 1 then
    return {3, ARGV[i - 1]}
  end
end
if rx_wrong_type(KEYS[1], 'zset') == nil and redis.call('ZSCORE', KEYS[1], id) then
  return {4, ''}
end
if rx_wrong_type(KEYS[2], 'list') == nil then
  -- ids are decimal; jedis-mock's cjson writes a numeric string as a number, Redis's as a string
  local quoted = '{"id":"' .. id .. '",'
  local bare = '{"id":' .. id .. ','
  local len = redis.call('LLEN', KEYS[2])
  local tail = redis.call('LRANGE', KEYS[2], math.max(0, len - 1000), -1)
  for i = 1, #tail do
    if string.find(tail[i], quoted, 1, true) == 1 or string.find(tail[i], bare, 1, true) == 1 then
      return {5, ''}
    end
  end
end
return {0, ''}
