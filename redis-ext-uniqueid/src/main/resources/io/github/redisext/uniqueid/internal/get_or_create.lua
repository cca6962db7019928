-- get_or_create.lua: the ids of some names in one namespace, assigning the next ids of the
-- namespace's counter to the names that have none yet.
--
-- KEYS[1]     the counter, <klass>:auto (STRING holding a decimal integer, changed only by INCRBY,
--             never expires; a missing counter counts as 0, so the first id is 1)
-- KEYS[2..]   the mapping keys <klass>:id:<name>, distinct, any number (the Java side sends at most 1000 per call; STRING holding the
--             decimal id)
-- ARGV[1]     time to live of a mapping, in milliseconds (PX), set when the mapping is created
-- ARGV[2]     "1": also reset the time to live of mappings that already exist (refresh on read);
--             "0": leave it alone (what the Python original does)
--
-- Reply, one of
--   {1, id_1, ..., id_n}  per mapping key, in KEYS order: a new id as an integer, or an existing
--                         id as the decimal text stored in the mapping
--   {0, i, raw}           mapping KEYS[i + 1] holds no decimal integer (raw is its text);
--                         nothing was changed
--   error 'WRONGTYPE redis-ext: string expected, <type> found at key <key>' (core_lib.lua's
--                         rx_wrong_type) when the counter or a mapping is a key of another type;
--                         nothing was changed
--   {-1, raw}             the counter could not be incremented (raw: the server's error);
--                         nothing was changed
--
-- Atomic: Redis runs the script alone, so the MGET, the single INCRBY and the SETs see no other
-- writer in between. The counter moves by exactly the number of names that had no mapping and
-- each of those ids is written to exactly one mapping: racing callers neither duplicate nor burn
-- ids. Every value is checked before anything is written, so a bad value changes nothing.
-- Expiry is PX inside the script: the server's clock decides when a mapping is gone.
-- The read and check are read_mappings (mappings_lib.lua, prepended when loaded).

local n = #KEYS - 1
local ttl = ARGV[1]
-- every key is checked before the first write: the mappings in read_mappings, the counter just
-- before INCRBY (only when an id is needed: names that all have ids are answered even while the
-- counter is broken). INCRBY is the first write, and nothing after it can fail.
local values, missing = read_mappings(2, n)
if not values then
  if type(missing) == 'string' then
    return redis.error_reply(missing)
  end
  return missing
end

local m = #missing
if m > 0 then
  local bad = rx_wrong_type(KEYS[1], 'string')
  if bad then
    return redis.error_reply(bad)
  end
  local hi = redis.pcall('INCRBY', KEYS[1], m)
  if type(hi) == 'table' and hi.err then
    return {-1, hi.err}
  end
  local id = hi - m
  for j = 1, m do
    local i = missing[j]
    id = id + 1
    -- a number argument is sent as its exact decimal text (up to 2^53), not in %.14g form
    redis.call('SET', KEYS[i + 1], id, 'PX', ttl)
    values[i] = id
  end
end

if ARGV[2] == '1' and m < n then
  for i = 1, n do
    if type(values[i]) == 'string' then
      redis.call('PEXPIRE', KEYS[i + 1], ttl)
    end
  end
end

local reply = {1}
for i = 1, n do
  reply[i + 1] = values[i]
end
return reply
