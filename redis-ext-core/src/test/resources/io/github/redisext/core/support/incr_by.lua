-- KEYS[1] counter; ARGV[1] increment. Returns the new value.
return redis.call('INCRBY', KEYS[1], ARGV[1])
