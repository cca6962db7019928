/**
 * Test support for redis-ext (test scope only): {@link io.github.redisext.testing.RedisBackends}
 * runs a test class against jedis-mock, a real redis-server and a real 3-master cluster;
 * {@link io.github.redisext.testing.ChildJvm} starts and kills child JVMs for crash tests;
 * {@link io.github.redisext.testing.RedisServerProcess} gives a server a test may kill and restart.
 */
package io.github.redisext.testing;
