-- bump_twice.lua (with counter_lib.lua): KEYS[1] counter; ARGV[1] step. Reply: the new value.
bump(KEYS[1], ARGV[1])
return bump(KEYS[1], ARGV[1])
