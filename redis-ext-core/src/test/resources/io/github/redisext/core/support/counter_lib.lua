-- counter_lib.lua: shared by scripts that bump a counter. Defines bump(key, by) -> new value.
local function bump(key, by)
  return redis.call('INCRBY', key, by)
end
